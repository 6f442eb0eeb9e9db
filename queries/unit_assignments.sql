-- title: 工委指定记录
-- description: 在“监测管理”页作出的每一项责任单位指定(含已撤销的):指标、单位、角色、决定人、时间、依据。
SELECT a.assignment_id, i.region AS 地区, i.name AS 指标, a.unit_name AS 责任单位, a.role AS 角色,
       a.decided_by AS 决定人, a.decided_at AS 决定时间, a.basis AS 依据,
       CASE WHEN a.revoked_at IS NULL THEN '有效' ELSE '已撤销' END AS 状态, a.revoked_by AS 撤销人,
       a.revoked_at AS 撤销时间, a.indicator_id
FROM unit_assignment a JOIN v_indicator i USING (indicator_id)
ORDER BY a.assignment_id DESC;
