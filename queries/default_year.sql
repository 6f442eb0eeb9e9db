-- title: 默认截至年份
-- description: 有监测数据的最近年份;尚无数据时为上一年。
SELECT coalesce(max(year), year(current_date) - 1) AS year FROM v_observation WHERE year <= year(current_date);
