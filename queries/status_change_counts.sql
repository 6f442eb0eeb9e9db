-- title: 与上一年相比的状态变化(条数)
-- description: status_changes 的行数(n_changed)和其中好转的个数(n_better,状态按 逆向变化 < 进度滞后 < 进展顺利 < 已达标 排序,无数据等最低)。
-- params: year, group, region, domain, unit
SELECT count(*) AS n_changed,
       count(*) FILTER (WHERE coalesce(list_position(['逆向变化', '进度滞后', '进展顺利', '已达标'], f.status), 0)
                            > coalesce(list_position(['逆向变化', '进度滞后', '进展顺利', '已达标'], p.status), 0))
           AS n_better
FROM filtered_status($year, $group, $region, $domain, $unit) f
JOIN _status p ON p.indicator_id = f.indicator_id AND p.as_of_year = $year - 1  -- the stored status: v_status
-- would also be planned with its sentences (~30 ms of planning, at any size)
WHERE p.status <> f.status;
