-- title: 各领域的进度比分布
-- description: 截至所选年份有进度比的指标(已完成的目标进程 ÷ 时间进度,1 为与时间进度持平;图上截断在 -1 到 2 之间),每个领域至多 per_domain 项(多于此数时按指标编号的散列值固定抽取);median_ratio 与 n_plotted 按该领域的全部指标计算。按规划类别、地区、责任单位筛选,不按领域筛选。
-- params: year, group, region, unit, per_domain
WITH plotted AS (
    SELECT f.domain AS 领域, f.region AS 地区, f.plan_group AS 规划, f.name AS 指标, f.status AS 状态,
           CASE WHEN f.latest_year IS NOT NULL THEN pw_val(f.latest_value, f.unit) || '(' || f.latest_year || '年)'
                ELSE coalesce(f.latest_text, '—') END AS 最新值,
           f.target_label AS 目标, f.ratio + 0.0 AS 进度比,  -- + 0.0 turns a -0.0 into 0
           least(greatest(f.ratio, -1), 2) AS ratio_plotted, f.ratio NOT BETWEEN -1 AND 2 AS off_scale,
           (hash(f.indicator_id) % 1000) / 1000 AS jitter,  -- a fixed vertical spread for the strip plot
           f.indicator_id
    FROM filtered_status($year, $group, $region, NULL, $unit) f
    WHERE f.ratio IS NOT NULL
)
SELECT *, median(ratio_plotted) OVER (PARTITION BY 领域) AS median_ratio, count(*) OVER (PARTITION BY 领域) AS n_plotted
FROM plotted
QUALIFY row_number() OVER (PARTITION BY 领域 ORDER BY hash(indicator_id), indicator_id) <= $per_domain
ORDER BY 领域, indicator_id;
