-- title: 方法阈值
-- description: 进展判定与预警所用的全部阈值(来自 data/thresholds.csv),方法说明页据此显示。
SELECT key, value, label, description FROM method_threshold ORDER BY key;
