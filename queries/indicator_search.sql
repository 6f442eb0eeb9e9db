-- title: 查找指标
-- description: 名称、地区、规划类别、规划标题或指标编号含全部搜索词(空格分隔,不分大小写;空为全部)的指标,在所选类别、地区和领域内,按地区、规划和编号排列,至多 n 项;label 为显示名(地区 · 规划 · 名称)。
-- params: words, group, region, domain, n
-- The text searched is made once a row (not once a word), and not at all when there are no words (the page's first
-- screen): at 2,850 regions that was most of the time.
SELECT indicator_id, region || ' · ' || plan_group || ' · ' || name AS label
FROM (
    SELECT *, lower(concat_ws(' ', region, plan_group, name, plan_title, indicator_id)) AS searched
    FROM v_indicator
    WHERE ($group IS NULL OR plan_group = $group) AND ($region IS NULL OR region_code IN (SELECT region_code FROM pw_region_scope($region)))
      AND ($domain IS NULL OR domain = $domain)
)
WHERE trim($words) = ''
   OR list_bool_and(list_transform(string_split_regex(lower(trim($words)), '\s+'), lambda w: contains(searched, w)))
ORDER BY region_code, plan_group, indicator_id
LIMIT $n;
