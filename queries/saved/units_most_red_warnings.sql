-- title: 红色预警最多的责任单位
-- description: 截至所选年份,按规划列明的责任单位统计红色预警(逆向变化、预计未达标且进度严重滞后、到期未达标,且仍有差距;基本实现的为黄色,不计):涉及的指标数、预警条数及其占该单位负责指标的比例。一项指标有多个责任单位时,每个单位各计一次;规划未列明责任单位的指标按地区合为“规划未列明”一行。
-- params: year, region
-- order: 3
WITH duty AS (  -- every (region, unit, indicator) the plans name (v_indicator_unit: a unit's name may hold a 、,
                -- 各区镇、街道); 规划未列明 when they name none. By region code: two regions may share a name (宝山区)
    SELECT i.region, i.region_code, i.indicator_id, i.name, coalesce(iu.unit, '规划未列明') AS unit
    FROM v_indicator i LEFT JOIN v_indicator_unit iu USING (indicator_id)
    WHERE $region IS NULL OR i.region_code IN (  -- $region: a code or a name, with every region below it
        SELECT r.region_code FROM v_region r
        JOIN v_region s ON s.region_code IN (r.region_code, r.city_code, r.province_code)
        WHERE $region IN (s.region_code, s.name))
),
load AS (
    SELECT region_code, unit, count(DISTINCT indicator_id) AS n_indicators
    FROM duty
    GROUP BY region_code, unit
)
SELECT d.region AS 地区, d.unit AS 责任单位,
       count(DISTINCT d.indicator_id) AS 红色预警指标数,
       count(*) AS 红色预警条数,
       count(*) FILTER (WHERE w.kind = '逆向变化') AS 逆向变化,
       count(*) FILTER (WHERE w.kind = '预计未达标') AS 预计未达标,
       l.n_indicators AS 负责指标数,
       round(100.0 * count(DISTINCT d.indicator_id) / l.n_indicators, 1) AS "红色预警指标占比(%)",
       string_agg(DISTINCT d.name, '、' ORDER BY d.name) AS 指标,
       count(*) FILTER (WHERE w.kind = '到期未达标') AS 到期未达标
FROM v_warning w
JOIN duty d USING (indicator_id)
JOIN load l ON l.region_code = d.region_code AND l.unit = d.unit
WHERE w.as_of_year = $year AND w.level = '红'
GROUP BY d.region, d.region_code, d.unit, l.n_indicators
ORDER BY 红色预警指标数 DESC, 红色预警条数 DESC, 地区, 责任单位;
