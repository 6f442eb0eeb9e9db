-- title: 报告:指标案例
-- description: 年度报告的两到三个指标案例(基线 → 路径 → 最新值 → 外推):在所选地区(或全部地区)的定量指标中,各取一项逆向变化、进度滞后和进展良好的指标。进展良好只取从起点(基线或首个监测值)向目标前进了的(目标进程大于0,起点未已达标),且有至少三个数据点和外推值;逆向变化和进度滞后有两个数据点即可,不要求印有基线;目标年已到的进度滞后写作“到期未达标”。重点表指标、数据点多的优先。
-- params: year, region
WITH candidates AS (
    SELECT f.indicator_id, f.region_code, f.is_key, f.n_points, i.baseline_value IS NOT NULL AS has_baseline, f.is_final,
           CASE WHEN f.status = '逆向变化' THEN 1 WHEN f.status = '进度滞后' THEN 2
                WHEN f.status IN ('进展顺利', '已达标') AND f.progress > 0 AND f.n_points >= 3
                     AND f.projected_value IS NOT NULL THEN 3 END AS story
    FROM filtered_status($year, NULL, $region, NULL, NULL) f
    JOIN v_indicator i USING (indicator_id)
    WHERE f.n_points >= 2
)
SELECT indicator_id, story,
       CASE story WHEN 1 THEN '需要关注:逆向变化'
                  WHEN 2 THEN CASE WHEN is_final THEN '需要加力:到期未达标' ELSE '需要加力:进度滞后' END
                  ELSE '进展良好' END AS 案例
FROM candidates
WHERE story IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY story
                           ORDER BY is_key DESC, has_baseline DESC, n_points DESC, region_code, indicator_id) = 1
ORDER BY story;
