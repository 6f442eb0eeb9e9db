-- title: 各领域达标率
-- description: 截至所选年份各领域的达标率(已达标 ÷ 已评估;已评估 = 有数据的数值指标)及与前一年相比的变化;无数据和定性指标单列,不计入分母。
-- params: year
-- order: 6
SELECT a.domain AS 领域,
       round(a.attainment_rate * 100, 1) AS "达标率(%)",
       a.n_met AS 已达标, a.n_assessed AS 已评估, a.n_on_track AS 进展顺利, a.n_lagging AS 进度滞后,
       a.n_reversed AS 逆向变化, a.n_no_data AS 无数据, a.n_qualitative AS 定性, a.n_indicators AS 指标数,
       round(p.attainment_rate * 100, 1) AS "上一年达标率(%)",
       round((a.attainment_rate - p.attainment_rate) * 100, 1) AS "变化(百分点)"
FROM v_attainment_by_domain a
LEFT JOIN v_attainment_by_domain p ON p.domain = a.domain AND p.as_of_year = $year - 1
WHERE a.as_of_year = $year
ORDER BY a.attainment_rate DESC NULLS LAST, a.domain;
