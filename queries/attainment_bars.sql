-- title: 各规划、各地区的达标率与状态构成(总览条形图)
-- description: 每个规划(地区+妇女/儿童)和每个地区各状态的指标个数,带达标率标签(如“咸阳市 妇女 15%(3/20)”);rank 从 1 起,达标率最低(最落后)的在前。只列最落后的 top 个,其余合为一条(如“其余 2,840 个地区 41%”,不带分子分母,region 为空)。地区按代码区分(同名地区各成一条),region_code 供链接使用。
-- params: year, group, region, domain, unit, top
WITH t AS (
    SELECT t.*, r.name AS region FROM filtered_tally($year, $group, $region, $domain, $unit) t JOIN region r USING (region_code)
), s AS (
    SELECT 'plan' AS cut, region_code || ' ' || plan_group AS category, region || ' ' || plan_group AS name,
           region, region_code, plan_group, status, n
    FROM t
    UNION ALL
    SELECT 'region', region_code, region, region, region_code, NULL, status, n
    FROM t
), per AS (
    SELECT cut, category, any_value(name) AS name,
           pw_sum(n, status = '已达标') AS n_met,
           pw_sum(n, status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')) AS n_assessed,
           pw_sum(n, status IN ('进度滞后', '逆向变化')) / sum(n) AS behind_share
    FROM s GROUP BY cut, category
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY cut ORDER BY n_met / nullif(n_assessed, 0) NULLS LAST,
                                                          behind_share DESC, name, category) AS rank,
           count(*) OVER (PARTITION BY cut) AS n_categories
    FROM per
), binned AS (  -- the most lagging `top` keep their own bar; the rest (only when two or more) share one
    SELECT cut, rank > $top AND n_categories > $top + 1 AS rest, category, name, n_met, n_assessed, n_categories,
           CASE WHEN rank > $top AND n_categories > $top + 1 THEN $top + 1 ELSE rank END AS rank
    FROM ranked
), bars AS (
    SELECT cut, rest, CASE WHEN rest THEN NULL ELSE category END AS category, any_value(name) AS name, min(rank) AS rank,
           sum(n_met) AS n_met, sum(n_assessed) AS n_assessed, count(*) AS n_in_bar
    FROM binned GROUP BY cut, rest, 3
), labelled AS (
    SELECT *, n_met / nullif(n_assessed, 0) AS rate,
           CASE WHEN rest THEN printf('其余 %,d 个%s', n_in_bar, CASE cut WHEN 'plan' THEN '规划' ELSE '地区' END)
                ELSE name END
           || ' ' || CASE WHEN n_assessed = 0 THEN '—' ELSE printf('%d%%', CAST(round(100 * n_met / n_assessed) AS INTEGER)) END
           || CASE WHEN rest THEN '' ELSE '(' || n_met || '/' || n_assessed || ')' END AS label  -- the rest: too long
    FROM bars
)
SELECT s.cut, coalesce(l.category, '其余') AS category, CASE WHEN NOT l.rest THEN any_value(s.region) END AS region,
       CASE WHEN NOT l.rest THEN any_value(s.plan_group) END AS plan_group, s.status, pw_sum(s.n) AS n,
       any_value(l.rate) AS rate, any_value(l.rank) AS rank, any_value(l.label) AS label,
       CASE WHEN NOT l.rest THEN any_value(s.region_code) END AS region_code
FROM s JOIN binned b USING (cut, category) JOIN labelled l ON l.cut = s.cut AND l.rest = b.rest
     AND (l.rest OR l.category = s.category)
GROUP BY s.cut, l.rest, l.category, s.status
ORDER BY s.cut, rank, s.status;
