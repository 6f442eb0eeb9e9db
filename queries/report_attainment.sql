-- title: 报告:各规划、领域、地区的达标率
-- description: 截至所选年份(可限定一个地区,含其下级地区;限定省时“地区”一栏按市汇总),每个规划、领域和地区的指标数、各状态个数、已评估数和达标率(已达标 ÷ 已评估),以及最新值为示例数据的指标数、基本实现数、基本实现率((已实现 + 基本实现)÷ 已评估)和不能判断(事件数少)数;年度报告的图表和“按规划”“按领域”“按地区”表用;规划和地区按达标率从低到高排列(尚无已评估指标的排在最后),领域按规划中的顺序。不限定地区时与 v_attainment_by_plan / _domain / _region 一致;两个地区同名时(如江苏省的两个鼓楼区)名称后附上级地区。
-- params: year, region
WITH t AS (  -- the stored summary: indicators per plan, domain and status, with the region's parent (for labels)
    SELECT t.*, r.name AS region, pr.name AS parent
    FROM filtered_tally($year, NULL, $region, NULL, NULL) t JOIN region r USING (region_code)
    LEFT JOIN region pr ON pr.region_code = r.parent_code
),
tagged AS (  -- each row's category, and the same with its parent region for a name two regions share (鼓楼区)
    SELECT 'plan' AS cut, region || ' ' || plan_group AS category,
           region || '(' || coalesce(parent, '') || ') ' || plan_group AS long_category,
           region_code || plan_group AS sort_key, status, n, n_demo, n_basic, n_achieved
    FROM t
    UNION ALL
    -- a region's report lists its children (a province its cities), the report of all regions the plans' regions
    SELECT 'region', c.name, c.name || '(' || coalesce(cp.name, '') || ')', c.region_code, status, n, n_demo,
           n_basic, n_achieved
    FROM (SELECT t.*, CASE WHEN (SELECT level_rank FROM region WHERE region_code = $region) = 1
                           THEN coalesce(r.city_code, r.region_code) ELSE r.region_code END AS shown_code
          FROM t JOIN region r USING (region_code)) x
    JOIN region c ON c.region_code = x.shown_code  -- an equality: a computed join condition is a nested loop
    LEFT JOIN region cp ON cp.region_code = c.parent_code
    UNION ALL
    SELECT 'domain', t.domain, t.domain, lpad(CAST(d.sort_order AS VARCHAR), 3, '0'), status, n, n_demo, n_basic,
           n_achieved
    FROM t JOIN domain d ON d.domain = t.domain
),
counted AS (
    SELECT cut, category, long_category, sort_key, pw_sum(n) AS 指标数,
           pw_sum(n, status = '已达标') AS 已达标, pw_sum(n, status = '进展顺利') AS 进展顺利,
           pw_sum(n, status = '进度滞后') AS 进度滞后, pw_sum(n, status = '逆向变化') AS 逆向变化,
           pw_sum(n, status = '无数据') AS 无数据, pw_sum(n, status = '定性') AS 定性,
           pw_sum(n, status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')) AS 已评估,
           round(已达标 / nullif(已评估, 0), 4) AS 达标率,
           pw_sum(n_demo) AS 示例值指标, pw_sum(n_basic) AS 基本实现,
           round(sum(n_achieved) / nullif(已评估, 0), 4) AS 基本实现率,
           pw_sum(n, status = '不能判断') AS 不能判断
    FROM tagged
    GROUP BY cut, category, long_category, sort_key
)
SELECT cut,
       -- a name two regions of the list share (江苏省's two 鼓楼区) carries its parent: 鼓楼区(南京市)
       CASE WHEN count(*) OVER (PARTITION BY cut, category) > 1 THEN long_category ELSE category END AS 类别,
       * EXCLUDE (cut, category, long_category, sort_key)
FROM counted
-- plans and regions lowest 达标率 first (what lags leads the slide and the table; none assessed last), domains in
-- the plans' order
ORDER BY cut, CASE WHEN cut <> 'domain' THEN coalesce(达标率, 2) END, sort_key;
