-- title: 指标预警
-- description: 一个指标截至所选年份的预警(级别、类型、原因、紧迫度),紧迫度高的在前。
-- params: id, year
SELECT level AS 级别, kind AS 类型, reason AS 原因, urgency AS 紧迫度
FROM v_warning WHERE indicator_id = $id AND as_of_year = $year
ORDER BY urgency DESC;
