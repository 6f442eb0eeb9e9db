-- title: 各通用指标表现最差的地区
-- description: 对在两个及以上地区有评估结果的每个通用指标(canonical_id,跨地区可比的同一口径),按截至所选年份的状态(逆向变化最差,其次进度滞后、进展顺利、已达标)和进度比排序,列出表现最差的地区,并列出最好的地区作对照。无数据和定性指标不参与比较。
-- params: year
-- order: 2
WITH assessed AS (
    SELECT d.*,
           CASE d.status WHEN '逆向变化' THEN 1 WHEN '进度滞后' THEN 2 WHEN '进展顺利' THEN 3 WHEN '已达标' THEN 4 END
               AS status_rank
    FROM v_status_detail d
    WHERE d.as_of_year = $year
      AND d.canonical_id IS NOT NULL
      AND d.status IN ('逆向变化', '进度滞后', '进展顺利', '已达标')
),
ranked AS (
    SELECT *,
           row_number() OVER (PARTITION BY canonical_id ORDER BY status_rank, ratio NULLS FIRST, region, indicator_id)
               AS worst_pos,
           row_number() OVER (PARTITION BY canonical_id
                              ORDER BY status_rank DESC, ratio DESC NULLS LAST, region, indicator_id) AS best_pos
    FROM assessed
),
compared AS (
    SELECT canonical_id, count(DISTINCT region_code) AS n_regions
    FROM assessed
    GROUP BY canonical_id
    HAVING count(DISTINCT region_code) >= 2
)
SELECT w.canonical_id AS 通用指标, w.name AS 指标名称, c.n_regions AS 比较地区数,
       w.region AS 最差地区, w.status AS 最差地区状态, w.latest_value AS 最差地区最新值, w.unit AS 单位,
       w.target_label AS 最差地区目标, w.reason AS 最差地区原因,
       b.region AS 最好地区, b.status AS 最好地区状态, b.latest_value AS 最好地区最新值,
       w.indicator_id AS 最差地区指标编号
FROM compared c
JOIN ranked w ON w.canonical_id = c.canonical_id AND w.worst_pos = 1
JOIN ranked b ON b.canonical_id = c.canonical_id AND b.best_pos = 1
ORDER BY w.status_rank, w.ratio NULLS FIRST, w.canonical_id;
