-- title: 指标预警
-- description: 一个指标截至所选年份的预警(级别、类型、原因)。
-- params: id, year
SELECT level AS 级别, kind AS 类型, reason AS 原因
FROM v_warning WHERE indicator_id = $id AND as_of_year = $year
ORDER BY CASE level WHEN '红' THEN 1 WHEN '黄' THEN 2 ELSE 3 END;
