-- title: 报告:分领域的进展与差距句子
-- description: 截至所选年份(可限定一个地区)每项已评估指标一句话:已达标和进展顺利的写“主要进展”(向目标前进:从起点向目标前进了,而非起点已达标)(由基线年的数值升至/降至最新值,已实现规划目标(较基线变差、且超出基本持平容差的写“仍达到规划目标,但较基线有所退步”;变差但在基本持平容差内的写“与基线年的数值基本持平”)或完成目标进程的比例;恰等于“>”“<”目标值的写“恰等于目标值,尚未达到目标”;有“预计未达标”预警的写“但按趋势…预计难以实现目标”),进度滞后和逆向变化的写“存在差距”(指标名加 v_status 的原因,数字与视图一致)。全部地区时句首写地区名;同一地区两部规划同名的指标在名称后注明(妇女规划)或(儿童规划)。
-- params: year, region
SELECT f.domain AS 领域, CASE WHEN f.status IN ('已达标', '进展顺利') THEN '进展' ELSE '差距' END AS 类别,
       f.status AS 状态, f.is_key AS 重点表指标, f.ratio AS 进度比, coalesce(f.progress > 0, false) AS 向目标前进,
       CASE WHEN $region IS NULL OR f.region_code <> $region THEN f.region ELSE '' END
       || pw_shown_name(f.name, f.target_label, t.name IS NOT NULL)
       -- a name both plans of the region print (咸阳市's 农村自来水普及率, met in one, short in the other) says whose
       || CASE WHEN min(f.plan_id) OVER same_name <> max(f.plan_id) OVER same_name
               THEN '(' || f.plan_group || '规划)' ELSE '' END
       || CASE WHEN f.status NOT IN ('已达标', '进展顺利') THEN f.reason
               -- a move within noise is none: "由100%降至99%,已实现规划目标100%" contradicted itself
               ELSE CASE WHEN i.baseline_value IS NOT NULL AND f.latest_year > i.baseline_year
                              AND coalesce(f.within_noise, false)
                              AND pw_better(f.target_op, i.direction) * (f.latest_value - i.baseline_value) < 0
                         THEN '与' || i.baseline_year || '年的' || pw_val(i.baseline_value, f.unit) || '基本持平('
                              || f.latest_year || '年为' || pw_val(f.latest_value, f.unit) || ')'
                         WHEN i.baseline_value IS NOT NULL AND f.latest_year > i.baseline_year
                         THEN '由' || i.baseline_year || '年的' || pw_val(i.baseline_value, f.unit)
                              || CASE WHEN f.latest_value > i.baseline_value THEN '升至'
                                      WHEN f.latest_value < i.baseline_value THEN '降至' ELSE '保持在' END
                              || f.latest_year || '年的' || pw_val(f.latest_value, f.unit)
                         ELSE f.latest_year || '年为' || pw_val(f.latest_value, f.unit) END
                    -- met, but moved the wrong way since the baseline (41.9% → 34.35% against ≥30%): not "已实现"
                    -- as if it were progress
                    || CASE WHEN f.status = '已达标' AND i.baseline_value IS NOT NULL AND f.latest_year > i.baseline_year
                                 AND pw_better(f.target_op, i.direction) * (f.latest_value - i.baseline_value) < 0
                                 AND NOT coalesce(f.within_noise, false)  -- (a move within noise is none)
                            THEN ',仍达到规划目标“' || f.target_label || '”,但较基线有所退步。'
                            WHEN f.status = '已达标' THEN ',已实现规划目标“' || f.target_label || '”。'
                            -- a strict target hit exactly is the whole way in progress, yet not met
                            WHEN f.target_op IN ('>', '<') AND abs(f.judged_value - i.target_value) < 1e-9
                            THEN ',恰等于目标值,尚未达到目标“' || f.target_label || '”。'
                            -- on time, but the trend falls short (its 预计未达标 warning): said, as the outlook
                            -- counts it among 预计难以实现
                            WHEN w.indicator_id IS NOT NULL
                            THEN ',' || CASE WHEN f.progress IS NOT NULL
                                             THEN '完成目标进程的' || pw_num(round(f.progress * 100)) || '%(时间进度'
                                                  || pw_num(round(f.expected_progress * 100)) || '%),' ELSE '' END
                                 || '但按趋势' || i.target_year || '年约为' || pw_val(f.projected_value, f.unit)
                                 || ',预计难以实现目标“' || f.target_label || '”。'
                            WHEN f.progress IS NOT NULL
                            THEN ',完成目标进程的' || pw_num(round(f.progress * 100)) || '%(时间进度'
                                 || pw_num(round(f.expected_progress * 100)) || '%),进展顺利(目标'
                                 || f.target_label || ')。'
                            ELSE ',进展顺利(目标' || f.target_label || ')。' END
          END AS 句子,
       f.indicator_id
FROM filtered_status($year, NULL, $region, NULL, NULL) f
JOIN v_indicator i USING (indicator_id)
LEFT JOIN _twin_names() t ON t.plan_id = f.plan_id AND t.name = f.name
LEFT JOIN (SELECT DISTINCT indicator_id FROM v_warning WHERE as_of_year = $year AND kind = '预计未达标') w
    USING (indicator_id)
WHERE f.status IN ('已达标', '进展顺利', '进度滞后', '逆向变化')
WINDOW same_name AS (PARTITION BY f.region_code, f.name)
ORDER BY f.region_code, f.plan_group DESC, f.indicator_id;
