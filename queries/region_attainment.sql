-- title: 各地区达标率
-- description: 截至所选年份每个监测地区的达标率(已达标 ÷ 已评估)、基本实现率((已实现 + 基本实现)÷ 已评估)及分母构成:各状态指标个数、无数据、定性和不能判断(事件数少)指标个数;按规划类别、领域、责任单位筛选,不按地区筛选(各地区并列比较),没有符合筛选的指标的地区也列出;另给出最新值为示例数据的指标数。
-- params: year, group, domain, unit
WITH counts AS (
    PIVOT (SELECT region_code, status,
                  count_if(latest_source_kind = '示例') OVER (PARTITION BY region_code) AS 示例值指标,
                  count_if(assessment = '基本实现') OVER (PARTITION BY region_code) AS 基本实现
           FROM filtered_status($year, $group, NULL, $domain, $unit))
    ON status IN ('已达标', '进展顺利', '进度滞后', '逆向变化', '无数据', '定性', '不能判断') USING count(*)
    GROUP BY region_code, 示例值指标, 基本实现
),
tallies AS (
    SELECT r.name AS 地区, r.region_code AS 地区代码, r.longitude, r.latitude,
           coalesce(c.已达标, 0) AS 已达标, coalesce(c.进展顺利, 0) AS 进展顺利, coalesce(c.进度滞后, 0) AS 进度滞后,
           coalesce(c.逆向变化, 0) AS 逆向变化, coalesce(c.无数据, 0) AS 无数据, coalesce(c.定性, 0) AS 定性,
           CAST(coalesce(c.示例值指标, 0) AS INTEGER) AS 示例值指标,
           CAST(coalesce(c.基本实现, 0) AS INTEGER) AS 基本实现, coalesce(c.不能判断, 0) AS 不能判断
    FROM region r LEFT JOIN counts c USING (region_code)
    WHERE r.is_seed
)
SELECT 地区, round(已达标 / nullif(已评估, 0), 4) AS 达标率, 已达标, 已评估, 进展顺利, 进度滞后, 逆向变化, 无数据, 定性,
       已评估 + 无数据 + 定性 + 不能判断 AS 指标总数, 示例值指标, 地区代码, longitude, latitude,
       round((已达标 + 基本实现) / nullif(已评估, 0), 4) AS 基本实现率, 基本实现, 不能判断
FROM (SELECT *, 已达标 + 进展顺利 + 进度滞后 + 逆向变化 AS 已评估 FROM tallies)
ORDER BY 地区代码;
