-- title: 各规划、各地区的达标率与状态构成(总览条形图)
-- description: 每个规划(地区+妇女/儿童)和每个地区各状态的指标个数,带达标率标签(如“咸阳市 妇女 15%(3/20)”);rank 从 1 起,达标率最低(最落后)的在前。
-- params: year, group, region, domain, unit
WITH s AS (
    SELECT 'plan' AS cut, region || ' ' || plan_group AS category, region, plan_group, status
    FROM filtered_status($year, $group, $region, $domain, $unit)
    UNION ALL
    SELECT 'region', region, region, NULL, status FROM filtered_status($year, $group, $region, $domain, $unit)
), per AS (
    SELECT cut, category,
           count(*) FILTER (WHERE status = '已达标') AS n_met,
           count(*) FILTER (WHERE status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')) AS n_assessed,
           count(*) FILTER (WHERE status IN ('进度滞后', '逆向变化')) / count(*) AS behind_share
    FROM s GROUP BY cut, category
), ranked AS (
    SELECT *, n_met / nullif(n_assessed, 0) AS rate,
           row_number() OVER (PARTITION BY cut ORDER BY n_met / nullif(n_assessed, 0) NULLS LAST,
                                                       behind_share DESC, category) AS rank
    FROM per
)
SELECT s.cut, s.category, any_value(s.region) AS region, any_value(s.plan_group) AS plan_group, s.status,
       count(*) AS n, any_value(r.rate) AS rate, any_value(r.rank) AS rank,
       s.category || ' ' || CASE WHEN any_value(r.n_assessed) = 0 THEN '—'
                                 ELSE printf('%d%%', CAST(round(100 * any_value(r.rate)) AS INTEGER)) END
           || '(' || any_value(r.n_met) || '/' || any_value(r.n_assessed) || ')' AS label
FROM s JOIN ranked r USING (cut, category)
GROUP BY s.cut, s.category, s.status
ORDER BY s.cut, rank, s.status;
