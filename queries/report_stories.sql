-- title: 报告:指标案例
-- description: 年度报告的两到三个指标案例(基线 → 路径 → 最新值 → 外推):在所选地区(或全部地区)有基线、至少三个数据点并能外推的定量指标中,各取一项逆向变化、进度滞后、已达标或进展顺利的指标;重点表指标、数据点多的优先。
-- params: year, region
WITH candidates AS (
    SELECT f.indicator_id, f.region_code, f.is_key, f.n_points,
           CASE f.status WHEN '逆向变化' THEN 1 WHEN '进度滞后' THEN 2 WHEN '进展顺利' THEN 3 WHEN '已达标' THEN 3 END
               AS story
    FROM filtered_status($year, NULL, $region, NULL, NULL) f
    JOIN v_indicator i USING (indicator_id)
    WHERE i.baseline_value IS NOT NULL AND f.n_points >= 3 AND f.projected_value IS NOT NULL
)
SELECT indicator_id, story,
       CASE story WHEN 1 THEN '需要关注:逆向变化' WHEN 2 THEN '需要加力:进度滞后' ELSE '进展良好' END AS 案例
FROM candidates
WHERE story IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY story
                           ORDER BY is_key DESC, n_points DESC, region_code, indicator_id) = 1
ORDER BY story;
