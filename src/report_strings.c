/*
 * report_strings.c - the English and Chinese report strings. Strings with
 * printf directives take their arguments in the same order in both
 * languages.
 */
#include "report_strings.h"
#include "strbuf.h"

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

static const char *const text_en[] = {
    [RS_REPORT] = "report",
    [RS_VERDICT] = "Verdict",
    [RS_V_ALL_SUPPORTED] = "every claimed exit is supported by the data",
    [RS_V_SOME_FAIL] = "%ld of %ld claimed exits do not hold",
    [RS_V_NOCLAIM_PASS] = "no unit claims exit; every unit meets the standard",
    [RS_V_NOCLAIM_FAIL] = "no unit claims exit; some units do not meet the standard",
    [RS_V_ERRORS] = "no trustworthy verdict: the input has errors (listed below)",
    [RS_EXIT_STATUS] = "exit status",
    [RS_SUMMARY] = "Summary",
    [RS_LEVEL] = "level",
    [RS_UNITS] = "units",
    [RS_PASS] = "pass",
    [RS_FAIL] = "fail",
    [RS_UNKNOWN] = "unknown",
    [RS_WARN] = "warn",
    [RS_CLAIMED] = "claimed",
    [RS_SUPPORTED] = "supported",
    [RS_WRONG_EXITS] = "wrong exits",
    [RS_UNSUPPORTED] = "unsupported",
    [RS_WRONG_RATE] = "wrong-exit rate",
    [RS_PARAMS] = "Parameters used",
    [RS_UNVERIFIED] = "UNVERIFIED",
    [RS_NO_VALUE] = "NO VALUE",
    [RS_GIVEN_BY_PARAM] = "given with --param",
    [RS_PARAM_HINT] = "targets that need it are unknown; give --param %s=VALUE",
    [RS_REPORTED] = "reported",
    [RS_RECOMPUTED] = "recomputed",
    [RS_DIFFERS] = "DIFFERS",
    [RS_TOLERANCE] = "tolerance",
    [RS_FAILING_UNITS] = "not meeting the standard",
    [RS_ALL_UNITS] = "all units",
    [RS_WRONG_CLAIMS] = "Wrongly exited or unsupported claims",
    [RS_TARGETS_NOT_MET] = "Targets not met",
    [RS_TARGET] = "target",
    [RS_NOT_MET] = "not met",
    [RS_OBSERVED] = "observed",
    [RS_REQUIRED] = "required",
    [RS_REASON] = "why unknown",
    [RS_PROBLEMS] = "Problems in the input",
    [RS_ERRORS] = "errors",
    [RS_WARNINGS] = "warnings",
    [RS_INPUTS] = "Inputs",
    [RS_RULE_FILES] = "Rule files",
    [RS_ROWS_READ] = "rows read",
    [RS_EVALUATED] = "evaluated",
    [RS_REJECTED] = "rejected",
    [RS_LINE] = "line",
    [RS_ID] = "id",
    [RS_NAME] = "name",
    [RS_STATUS] = "status",
    [RS_CLAIM] = "claim",
    [RS_MORE_UNITS] = "... %ld more; --all lists every unit, -f json or -f csv gives them all",
    [RS_MORE_PROBLEMS] = "... %ld more (all are on standard error and in -f json)",
    [RS_PACK] = "rule pack",
    [RS_TOOL] = "tool",
    [RS_ENCODING] = "encoding",
    [RS_FIGURES] = "figures: reported -> recomputed from child data",
    [RS_NO_CHILD_DATA] = "no child data: figures as reported",
    [RS_CLAIMS_BELOW] = "exits claimed below: %ld, supported %ld, wrong %ld, unsupported %ld; wrong-exit rate",
    [RS_ORPHAN] = "parent not in its table",
    [RS_S_PASS] = "PASS",
    [RS_S_FAIL] = "FAIL",
    [RS_S_UNKNOWN] = "UNKNOWN",
    [RS_S_WARN] = "WARN",
    [RS_C_SUPPORTED] = "claim supported",
    [RS_C_WRONG] = "WRONG EXIT",
    [RS_C_UNSUPPORTED] = "claim unsupported",
    [RS_C_NONE] = "no claim",
    [RS_WHY_MISSING] = "%s is missing",
    [RS_WHY_INVALID] = "%s is invalid",
    [RS_WHY_NO_COLUMN] = "no %s column",
    [RS_WHY_NO_PARAM] = "no value of parameter %s for the year",
    [RS_WHY_DIV_ZERO] = "%s divides by zero",
    [RS_WHY_NO_DATA] = "%s: incomplete child data",
    [RS_WHY_NO_CASE] = "%s: no case applies",
    [RS_WHY_UNKNOWN] = "%s is unknown",
    [RS_WHY_EXPR_DIV_ZERO] = "division by zero in the requirement",
    [RS_NONE] = "none",
    [RS_FAILURES_PER_TARGET] = "Units not meeting each target",
    [RS_YEAR] = "year",
    [RS_VALUE] = "value",
    [RS_SOURCE] = "source",
    [RS_SIGNATURE] = "Checked by (name, signature)",
    [RS_DATE] = "Date",
    [RS_NO_YEAR] = "no data year seen",
    [RS_NO_TABLE] = "no table read",
    [RS_H_RATES] = "Wrong-exit rates",
    [RS_RATES_BELOW] = "%s: wrong-exit rate of the %s claims below each unit",
    [RS_H_FIGURES] = "Reported and recomputed figures",
    [RS_N_DIFFER] = "%ld of %ld units report figures that differ from the recomputed ones beyond the tolerance",
    [RS_MORE_ROWS] = "... %ld more not listed here; -f csv or -f json gives them all",
    [RS_LOCATION] = "location",
    [RS_SEVERITY] = "severity",
    [RS_MESSAGE] = "message",
    [RS_SEV_ERROR] = "error",
    [RS_SEV_WARNING] = "warning",
    [RS_OPINION] = "Opinion",
    [RS_PROVENANCE] = "Provenance",
    [RS_PARAM] = "parameter",
    [RS_PARAM_UNIT] = "unit",
    [RS_UNITS_AFFECTED] = "units affected: %ld",
    [RS_FILE] = "file",
    [RS_CHART_LABEL] = "%s: units not meeting each target",
    [RS_H_UNITS] = "Units not meeting the standard",
    [RS_N_TARGET] = "%zu target",
    [RS_N_TARGETS] = "%zu targets",
    [RS_V_YEAR_BAD] = "%ld of %ld exits claimed this year do not hold",
    [RS_V_YEAR_OK] = "every exit claimed this year is supported by the data",
    [RS_V_YEAR_NONE] = "no unit claims exit this year",
    [RS_V_EARLIER_BAD] = "%ld of %ld earlier exits are wrong exits",
    [RS_V_EARLIER_OK] = "none of the %ld earlier exits is a wrong exit",
    [RS_V_EARLIER_UNVERIFIED] = ", %ld cannot be verified",
    [RS_V_SEP] = "; ",
    [RS_V_MISMATCH] = "no trustworthy verdict: %ld of %ld %s rows name a %s that is not in the %s table; "
                      "the ids are probably spelt differently in the two tables (see the error below)",
    [RS_THIS_YEAR] = "this year",
    [RS_EARLIER] = "earlier",
    [RS_EXITED] = "exited",
    [RS_BY_PEOPLE] = "by people",
    [RS_WRONG_RATE_PEOPLE] = "wrong-exit rate by people",
    [RS_ORPHANS] = "orphans",
    [RS_ORPHANS_LINE] = "%s: %ld whose parent is not in its table (orphans: counted in no figure of that level; see the problems)",
    [RS_EARLIER_EXITS] = "earlier exits",
    [RS_EXIT] = "exit",
    [RS_EXIT_EARLIER_YEAR] = "earlier, %d",
    [RS_EXIT_EARLIER] = "earlier",
    [RS_EXIT_THIS_YEAR] = "this year",
    [RS_C_EXIT_SUPPORTED] = "exit supported",
    [RS_C_EXIT_UNSUPPORTED] = "exit unsupported",
    [RS_EARLIER_BELOW] = "earlier exits below: %ld, supported %ld, wrong %ld, unsupported %ld",
    [RS_WRONG_EARLIER] = "Earlier exits that are wrong or unsupported",
    [RS_WRONG_EXITS_ALL] = "Wrong or unsupported exits, this year's and earlier",
    [RS_EARLIER_SUITE] = "%s: earlier exits",
    [RS_H_EARLIER] = "Earlier exits",
};

static const char *const text_zh[] = {
    [RS_REPORT] = "核查报告",
    [RS_VERDICT] = "结论",
    [RS_V_ALL_SUPPORTED] = "所有申请退出均有数据支持",
    [RS_V_SOME_FAIL] = "%ld 个申请退出不成立（共 %ld 个申请）",
    [RS_V_NOCLAIM_PASS] = "无单位申请退出；所有单位均达到标准",
    [RS_V_NOCLAIM_FAIL] = "无单位申请退出；部分单位未达到标准",
    [RS_V_ERRORS] = "输入数据有错误，无法得出可信结论（见下文）",
    [RS_EXIT_STATUS] = "退出码",
    [RS_SUMMARY] = "汇总",
    [RS_LEVEL] = "层级",
    [RS_UNITS] = "单位数",
    [RS_PASS] = "达标",
    [RS_FAIL] = "未达标",
    [RS_UNKNOWN] = "无法判定",
    [RS_WARN] = "预警",
    [RS_CLAIMED] = "申请退出",
    [RS_SUPPORTED] = "有数据支持",
    [RS_WRONG_EXITS] = "错退",
    [RS_UNSUPPORTED] = "无法核实",
    [RS_WRONG_RATE] = "错退率",
    [RS_PARAMS] = "所用参数",
    [RS_UNVERIFIED] = "未经核实",
    [RS_NO_VALUE] = "无取值",
    [RS_GIVEN_BY_PARAM] = "由 --param 指定",
    [RS_PARAM_HINT] = "依赖该参数的指标无法判定；可用 --param %s=取值 指定",
    [RS_REPORTED] = "上报值",
    [RS_RECOMPUTED] = "重算值",
    [RS_DIFFERS] = "不一致",
    [RS_TOLERANCE] = "容差",
    [RS_FAILING_UNITS] = "未达标",
    [RS_ALL_UNITS] = "全部单位",
    [RS_WRONG_CLAIMS] = "错退及无法核实的退出申请",
    [RS_TARGETS_NOT_MET] = "未达标指标",
    [RS_TARGET] = "指标",
    [RS_NOT_MET] = "未达标",
    [RS_OBSERVED] = "实际值",
    [RS_REQUIRED] = "要求",
    [RS_REASON] = "无法判定的原因",
    [RS_PROBLEMS] = "输入数据问题",
    [RS_ERRORS] = "个错误",
    [RS_WARNINGS] = "个警告",
    [RS_INPUTS] = "输入文件",
    [RS_RULE_FILES] = "规则文件",
    [RS_ROWS_READ] = "读取行数",
    [RS_EVALUATED] = "已评估",
    [RS_REJECTED] = "已拒绝",
    [RS_LINE] = "行",
    [RS_ID] = "编号",
    [RS_NAME] = "名称",
    [RS_STATUS] = "状态",
    [RS_CLAIM] = "退出申请",
    [RS_MORE_UNITS] = "……另有 %ld 个；--all 列出全部，-f json 或 -f csv 包含全部",
    [RS_MORE_PROBLEMS] = "……另有 %ld 条（全部见标准错误输出及 -f json）",
    [RS_PACK] = "规则包",
    [RS_TOOL] = "工具",
    [RS_ENCODING] = "编码",
    [RS_FIGURES] = "数据：上报值 -> 由下级数据重算值",
    [RS_NO_CHILD_DATA] = "无下级数据：采用上报值",
    [RS_CLAIMS_BELOW] = "下级申请退出 %ld 个，有数据支持 %ld 个，错退 %ld 个，无法核实 %ld 个；错退率",
    [RS_ORPHAN] = "上级单位不在其数据表中",
    [RS_S_PASS] = "达标",
    [RS_S_FAIL] = "未达标",
    [RS_S_UNKNOWN] = "无法判定",
    [RS_S_WARN] = "预警",
    [RS_C_SUPPORTED] = "退出有数据支持",
    [RS_C_WRONG] = "错退",
    [RS_C_UNSUPPORTED] = "退出无法核实",
    [RS_C_NONE] = "未申请退出",
    [RS_WHY_MISSING] = "%s 缺失",
    [RS_WHY_INVALID] = "%s 无效",
    [RS_WHY_NO_COLUMN] = "缺少 %s 列",
    [RS_WHY_NO_PARAM] = "参数 %s 无该年度取值",
    [RS_WHY_DIV_ZERO] = "%s 除数为零",
    [RS_WHY_NO_DATA] = "%s：下级数据不完整",
    [RS_WHY_NO_CASE] = "%s：无适用的分档",
    [RS_WHY_UNKNOWN] = "%s 无法确定",
    [RS_WHY_EXPR_DIV_ZERO] = "要求中出现除数为零",
    [RS_NONE] = "无",
    [RS_FAILURES_PER_TARGET] = "各指标未达标单位数",
    [RS_YEAR] = "年度",
    [RS_VALUE] = "取值",
    [RS_SOURCE] = "来源",
    [RS_SIGNATURE] = "核查人（签名）",
    [RS_DATE] = "日期",
    [RS_NO_YEAR] = "数据中无年度",
    [RS_NO_TABLE] = "未读取数据表",
    [RS_H_RATES] = "错退率",
    [RS_RATES_BELOW] = "%s：各单位下属%s退出申请的错退率",
    [RS_H_FIGURES] = "上报值与重算值",
    [RS_N_DIFFER] = "%ld 个单位（共 %ld 个）的上报值与重算值之差超出容差",
    [RS_MORE_ROWS] = "……另有 %ld 个未在此列出；-f csv 或 -f json 包含全部",
    [RS_LOCATION] = "位置",
    [RS_SEVERITY] = "级别",
    [RS_MESSAGE] = "说明",
    [RS_SEV_ERROR] = "错误",
    [RS_SEV_WARNING] = "警告",
    [RS_OPINION] = "核查意见",
    [RS_PROVENANCE] = "来源与校验",
    [RS_PARAM] = "参数",
    [RS_PARAM_UNIT] = "单位",
    [RS_UNITS_AFFECTED] = "涉及单位数：%ld",
    [RS_FILE] = "文件",
    [RS_CHART_LABEL] = "%s：各指标未达标单位数",
    [RS_H_UNITS] = "未达标单位",
    [RS_N_TARGET] = "%zu 项指标",
    [RS_N_TARGETS] = "%zu 项指标",
    [RS_V_YEAR_BAD] = "%ld 个本年度退出申请不成立（共 %ld 个）",
    [RS_V_YEAR_OK] = "本年度退出申请均有数据支持",
    [RS_V_YEAR_NONE] = "本年度无单位申请退出",
    [RS_V_EARLIER_BAD] = "%ld 个往年退出属于错退（共 %ld 个）",
    [RS_V_EARLIER_OK] = "%ld 个往年退出中无错退",
    [RS_V_EARLIER_UNVERIFIED] = "，%ld 个无法核实",
    [RS_V_SEP] = "；",
    [RS_V_MISMATCH] = "无法得出可信结论：%ld 行（共 %ld 行）%s数据所填的%s编号在%s数据表中找不到，"
                      "两表的编号写法可能不一致（见下文错误）",
    [RS_THIS_YEAR] = "本年度",
    [RS_EARLIER] = "往年",
    [RS_EXITED] = "已退出",
    [RS_BY_PEOPLE] = "按人口计",
    [RS_WRONG_RATE_PEOPLE] = "按人口计错退率",
    [RS_ORPHANS] = "孤立单位",
    [RS_ORPHANS_LINE] = "%s：%ld 个单位的上级不在其数据表中（孤立单位，不计入该上级层级的数字；见数据问题）",
    [RS_EARLIER_EXITS] = "往年退出",
    [RS_EXIT] = "退出年度",
    [RS_EXIT_EARLIER_YEAR] = "往年退出，%d 年",
    [RS_EXIT_EARLIER] = "往年退出",
    [RS_EXIT_THIS_YEAR] = "本年度退出",
    [RS_C_EXIT_SUPPORTED] = "退出有数据支持",
    [RS_C_EXIT_UNSUPPORTED] = "退出无法核实",
    [RS_EARLIER_BELOW] = "下级往年退出 %ld 个，有数据支持 %ld 个，错退 %ld 个，无法核实 %ld 个",
    [RS_WRONG_EARLIER] = "往年退出中的错退及无法核实",
    [RS_WRONG_EXITS_ALL] = "错退及无法核实的退出（本年度及往年）",
    [RS_EARLIER_SUITE] = "%s：往年退出",
    [RS_H_EARLIER] = "往年退出",
};
/* Sized by the enum: a new string is RS__COUNT's business in both tables
 * (tests/test_report.c checks that no entry is left NULL). */
_Static_assert(sizeof text_en / sizeof text_en[0] == RS__COUNT, "text_en is sized by report_string");
_Static_assert(sizeof text_zh / sizeof text_zh[0] == RS__COUNT, "text_zh is sized by report_string");

const char *RS(report_string id, int zh_lang)
{
    if ((unsigned)id >= RS__COUNT)
        return "";
    const char *s = zh_lang ? text_zh[id] : text_en[id];
    return s ? s : text_en[id] ? text_en[id] : "";
}

void rs_printf(strbuf *sb, report_string id, int zh, ...)
{
    va_list ap;
    va_start(ap, zh);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    strbuf_vprintf(sb, RS(id, zh), ap);
#pragma GCC diagnostic pop
    va_end(ap);
}

int rs_width(const char *s)
{
    int w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int len = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
        w += len >= 3 ? 2 : 1;
        for (int i = 0; i < len && *p; i++)
            p++;
    }
    return w;
}

void rs_pad(strbuf *sb, const char *s, int width, int right)
{
    int pad = width - rs_width(s);
    if (right)
        for (int i = 0; i < pad; i++)
            strbuf_putc(sb, ' ');
    strbuf_puts(sb, s);
    if (!right)
        for (int i = 0; i < pad; i++)
            strbuf_putc(sb, ' ');
}
