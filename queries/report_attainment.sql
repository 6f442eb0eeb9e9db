-- title: 报告:各规划、领域、地区的达标率
-- description: 截至所选年份(可限定一个地区,含其下级地区;限定省时“地区”一栏按市汇总),每个规划、领域和地区的指标数、各状态个数、已评估数和达标率(已达标 ÷ 已评估),以及最新值为示例数据的指标数、基本实现数、基本实现率((已实现 + 基本实现)÷ 已评估)和不能判断(事件数少)数;年度报告的图表和“按规划”“按领域”“按地区”表用。不限定地区时与 v_attainment_by_plan / _domain / _region 一致。
-- params: year, region
WITH f AS (SELECT * FROM filtered_status($year, NULL, $region, NULL, NULL)),
tagged AS (
    SELECT 'plan' AS cut, region || ' ' || plan_group AS category, region_code || plan_group AS sort_key, status,
           latest_source_kind, assessment
    FROM f
    UNION ALL
    -- a region's report lists its children (a province its cities), the report of all regions the plans' regions
    SELECT 'region', c.name, c.region_code, status, latest_source_kind, assessment
    FROM f JOIN region r USING (region_code)
    JOIN region c ON c.region_code = CASE WHEN (SELECT level_rank FROM region WHERE region_code = $region) = 1
                                          THEN coalesce(r.city_code, r.region_code) ELSE r.region_code END
    UNION ALL
    SELECT 'domain', f.domain, lpad(CAST(d.sort_order AS VARCHAR), 3, '0'), status, latest_source_kind, assessment
    FROM f JOIN domain d ON d.domain = f.domain
)
SELECT cut, category AS 类别, count(*) AS 指标数,
       pw_n(status, '已达标') AS 已达标, pw_n(status, '进展顺利') AS 进展顺利, pw_n(status, '进度滞后') AS 进度滞后,
       pw_n(status, '逆向变化') AS 逆向变化, pw_n(status, '无数据') AS 无数据, pw_n(status, '定性') AS 定性,
       count(*) FILTER (WHERE status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')) AS 已评估,
       round(pw_n(status, '已达标')
             / nullif(count(*) FILTER (WHERE status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')), 0), 4) AS 达标率,
       count(*) FILTER (WHERE latest_source_kind = '示例') AS 示例值指标,
       pw_n(assessment, '基本实现') AS 基本实现,
       round(count(*) FILTER (WHERE assessment IN ('已实现', '基本实现'))
             / nullif(count(*) FILTER (WHERE status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')), 0), 4) AS 基本实现率,
       pw_n(status, '不能判断') AS 不能判断
FROM tagged
GROUP BY cut, category, sort_key
ORDER BY cut, sort_key;
