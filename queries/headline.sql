-- title: 总体达标情况
-- description: 截至所选年份的指标总数、各状态个数、达标率(已达标 ÷ 已评估)和基本实现率((已实现 + 基本实现)÷ 已评估),并给出分母构成。
-- params: year, group, region, domain, unit
WITH t AS (SELECT * FROM filtered_tally($year, $group, $region, $domain, $unit)),
c AS (
    SELECT pw_sum(n) AS n_indicators,
           pw_sum(n, status = '已达标') AS n_met,
           pw_sum(n, status = '进展顺利') AS n_on_track,
           pw_sum(n, status = '进度滞后') AS n_lagging,
           pw_sum(n, status = '逆向变化') AS n_reversed,
           pw_sum(n, status = '无数据') AS n_no_data,
           pw_sum(n, status = '定性') AS n_qualitative,
           pw_sum(n, status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')) AS n_assessed,
           pw_sum(n_demo) AS n_demo,
           pw_sum(n, status = '不能判断') AS n_undetermined,
           pw_sum(n_basic) AS n_basic,
           pw_sum(n_achieved) AS n_achieved
    FROM t
)
SELECT n_indicators, n_met, n_on_track, n_lagging, n_reversed, n_no_data, n_qualitative, n_assessed,
       round(n_met / nullif(n_assessed, 0), 4) AS attainment_rate, n_demo, n_undetermined, n_basic,
       round(n_achieved / nullif(n_assessed, 0), 4) AS basic_rate
FROM c;
