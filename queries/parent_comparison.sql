-- title: 上级规划的同一指标
-- description: 一个指标在其最近的上级地区(市,否则省)规划中的同一标准指标:上级地区、目标、截至所选年份的最新值和状态,写成一句(如“上级规划(苏州市):目标≥95%,最新96%(2024年),已达标”);上级地区没有规划或其规划没有该指标时无行。
-- params: id, year
SELECT parent_indicator_id, parent_region, parent_region_code,
       '上级规划(' || parent_region || '):目标' || parent_target_label || ','
           || CASE WHEN parent_latest_year IS NULL THEN '尚无数据'
                   ELSE '最新' || pw_val(parent_latest_value, unit) || '(' || parent_latest_year || '年)' END
           || ',' || parent_status AS line
FROM parent_comparison_of($id, $year)  -- v_parent_comparison's rows of the indicator and year;
