-- title: 通用指标的编号与名称
-- description: 通用指标(跨地区比较口径)的编号与中文名称,用于把整理说明中的编号显示为名称。
-- params:
SELECT canonical_id, name FROM canonical_indicator ORDER BY canonical_id;
