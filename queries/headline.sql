-- title: 总体达标情况
-- description: 截至所选年份的指标总数、各状态个数、达标率(已达标 ÷ 已评估)和基本实现率((已实现 + 基本实现)÷ 已评估),并给出分母构成。
-- params: year, group, region, domain, unit
SELECT count(*) AS n_indicators,
       count(*) FILTER (WHERE status = '已达标') AS n_met,
       count(*) FILTER (WHERE status = '进展顺利') AS n_on_track,
       count(*) FILTER (WHERE status = '进度滞后') AS n_lagging,
       count(*) FILTER (WHERE status = '逆向变化') AS n_reversed,
       count(*) FILTER (WHERE status = '无数据') AS n_no_data,
       count(*) FILTER (WHERE status = '定性') AS n_qualitative,
       count(*) FILTER (WHERE status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')) AS n_assessed,
       round(count(*) FILTER (WHERE status = '已达标')
             / nullif(count(*) FILTER (WHERE status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')), 0), 4)
           AS attainment_rate,
       count(*) FILTER (WHERE latest_source_kind = '示例') AS n_demo,
       count(*) FILTER (WHERE status = '不能判断') AS n_undetermined,
       count(*) FILTER (WHERE assessment = '基本实现') AS n_basic,
       round(count(*) FILTER (WHERE assessment IN ('已实现', '基本实现'))
             / nullif(count(*) FILTER (WHERE status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')), 0), 4)
           AS basic_rate
FROM filtered_status($year, $group, $region, $domain, $unit);
