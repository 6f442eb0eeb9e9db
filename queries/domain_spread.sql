-- title: 各领域的进度比分布
-- description: 截至所选年份有进度比的指标(已完成的目标进程 ÷ 时间进度,1 为与时间进度持平;图上截断在 -1 到 2 之间),每个领域至多 per_domain 项(多于此数时按指标编号的散列值固定抽取);median_ratio 与 n_plotted 按该领域的全部指标计算。按规划类别、地区、责任单位筛选,不按领域筛选。
-- params: year, group, region, unit, per_domain
-- The median, the count and the sample are taken over the ids and ratios alone; the text of a point (value,
-- target, names) is made only for the points drawn (at national scale 2,000 of about 200,000).
WITH ratios AS (
    SELECT f.indicator_id, f.domain, least(greatest(f.ratio, -1), 2) AS ratio_plotted
    FROM filtered_status($year, $group, $region, NULL, $unit) f
    WHERE f.ratio IS NOT NULL
), per_domain AS (
    SELECT domain, median(ratio_plotted) AS median_ratio, count(*) AS n_plotted FROM ratios GROUP BY domain
), picked AS (  -- the per_domain smallest (hash, id) of each domain: a fixed sample, without sorting them all
    SELECT unnest(min_by({'indicator_id': indicator_id, 'ratio_plotted': ratio_plotted},
                         (hash(indicator_id), indicator_id), $per_domain), recursive := true)
    FROM ratios GROUP BY domain
)
SELECT i.domain AS 领域, i.region AS 地区, i.plan_group AS 规划, i.name AS 指标, s.status AS 状态,
       CASE WHEN s.latest_year IS NOT NULL THEN pw_val(s.latest_value, i.unit) || '(' || s.latest_year || '年)'
            ELSE coalesce(s.latest_text, '—') END AS 最新值,
       pw_target_label(i.target_op, i.target_value, i.unit, i.target_text) AS 目标,
       round(s.ratio, 4) + 0.0 AS 进度比,  -- rounded as v_status rounds it; + 0.0 turns a -0.0 into 0
       p.ratio_plotted, round(s.ratio, 4) NOT BETWEEN -1 AND 2 AS off_scale,
       (hash(p.indicator_id) % 1000) / 1000 AS jitter,  -- a fixed vertical spread for the strip plot
       p.indicator_id, d.median_ratio, d.n_plotted
FROM picked p
JOIN _status s ON s.indicator_id = p.indicator_id AND s.as_of_year = $year  -- stored; v_status's planning costs more
JOIN v_indicator i ON i.indicator_id = p.indicator_id
JOIN per_domain d ON d.domain = i.domain
ORDER BY 领域, indicator_id;
