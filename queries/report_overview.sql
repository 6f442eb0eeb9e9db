-- title: 报告:填报覆盖与目标年展望
-- description: 截至所选年份(可限定一个地区):定量指标数,其中当年应报(目标年未过)的个数与已填报的个数(填报覆盖);已评估指标中按当前趋势到目标年预计可实现的(已达标,或趋势外推可达到目标且无“预计未达标”预警)、预计难以实现的(逆向变化,或有“预计未达标”预警;及其中评估为基本实现、差距已在容差内的)和数据点不足无法外推的个数(均只计目标年未到的指标);目标年已到(最终判定)的已评估指标数,及其中已实现、基本实现和逆向变化的个数,以及依据目标年之前数值判定(目标年数值未报)的个数和其中目标年已过的个数。
-- params: year, region
WITH f AS (SELECT * FROM filtered_status($year, NULL, $region, NULL, NULL)),
short AS (SELECT DISTINCT indicator_id FROM v_warning WHERE as_of_year = $year AND kind = '预计未达标')
SELECT count(*) FILTER (WHERE f.status <> '定性') AS n_quantitative,
       -- reporting coverage counts the indicators due for the year: none is due after its target year
       count(*) FILTER (WHERE f.status <> '定性' AND f.target_year >= $year) AS n_due,
       count(*) FILTER (WHERE f.status <> '定性' AND f.target_year >= $year AND f.latest_year = $year) AS n_reported,
       -- before the target year: what the trend says (a call from the target year on is final, never "预计")
       count(*) FILTER (WHERE NOT f.is_final AND (f.status = '已达标'
                           OR (f.status IN ('进展顺利', '进度滞后') AND f.projected_value IS NOT NULL
                               AND s.indicator_id IS NULL))) AS n_projected_met,
       count(*) FILTER (WHERE NOT f.is_final AND (f.status = '逆向变化'
                           OR (f.status IN ('进展顺利', '进度滞后') AND s.indicator_id IS NOT NULL)))
           AS n_projected_short,
       -- of those, the ones already within the 基本实现 tolerance (assessment 基本实现): near the target, yet not
       -- heading to it
       count(*) FILTER (WHERE NOT f.is_final AND f.assessment = '基本实现' AND (f.status = '逆向变化'
                           OR (f.status IN ('进展顺利', '进度滞后') AND s.indicator_id IS NOT NULL)))
           AS n_projected_short_basic,
       count(*) FILTER (WHERE NOT f.is_final AND f.status IN ('进展顺利', '进度滞后') AND f.projected_value IS NULL
                          AND s.indicator_id IS NULL) AS n_unprojected,
       -- from the target year on: met or not, and of those not met how many are within the tolerance (基本实现) and
       -- how many moved away
       count(*) FILTER (WHERE f.is_final AND f.status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')) AS n_final,
       count(*) FILTER (WHERE f.is_final AND f.status = '已达标') AS n_final_met,
       count(*) FILTER (WHERE f.is_final AND f.assessment = '基本实现') AS n_final_basic,
       count(*) FILTER (WHERE f.is_final AND f.status = '逆向变化') AS n_final_reversed,
       -- final calls resting on a year before the target year (its value not reported yet)
       count(*) FILTER (WHERE f.is_final AND f.status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')
                          AND f.latest_year < f.target_year) AS n_final_early,
       -- of those, the ones whose target year has passed: their value is owed, though no longer "due this year"
       count(*) FILTER (WHERE f.is_final AND f.status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')
                          AND f.latest_year < f.target_year AND f.target_year < $year) AS n_target_missing
FROM f LEFT JOIN short s USING (indicator_id);
