/*
 * diag_zh.c - the Chinese catalog of diagnostics (see diag_zh.h).
 *
 * A module of its own rather than a part of report_strings: report strings
 * are a closed set named by an enum and used only by report writers, while
 * these are keyed by the English text the library code already writes
 * (gettext's model), and serve standard error as much as the reports.
 *
 * Invariants, checked by tests/test_diag_zh.c: the table is sorted by id in
 * strcmp order with no id twice (diag_zh is a binary search); each Chinese
 * text takes exactly the arguments of its id, with the same types, in the
 * same order or through positional conversions (%2$s), and then all of its
 * conversions are positional. tests/check_catalog.py fails when code uses
 * an id that has no entry here.
 *
 * Wording: plain written Chinese for a county or provincial inspector:
 * 第 N 行 / 第 N 列 for locations, 指标 for targets, 无法判定 for unknown,
 * as in the report strings. Some entries are texts of libcsv and of the C
 * library (strerror, in glibc's English wording) that messages quote.
 */
#include "diag_zh.h"

#include <stdlib.h>
#include <string.h>

static const diag_zh_entry catalog[] = {
    {"%d column the rules need is missing: %s", "缺少规则所需的 %d 列：%s"},
    {"%d column the rules need is missing: %s (--partial checks the table anyway, with those targets unknown)",
     "缺少规则所需的 %d 列：%s（加 --partial 仍可核查此表，依赖该列的指标记为无法判定）"},
    {"%d column the rules need is missing: %s; targets that need it are unknown", "缺少规则所需的 %d 列：%s；依赖该列的指标无法判定"},
    {"%d columns the rules need are missing: %s", "缺少规则所需的 %d 列：%s"},
    {"%d columns the rules need are missing: %s (--partial checks the table anyway, with those targets unknown)",
     "缺少规则所需的 %d 列：%s（加 --partial 仍可核查此表，依赖这些列的指标记为无法判定）"},
    {"%d columns the rules need are missing: %s; targets that need them are unknown", "缺少规则所需的 %d 列：%s；依赖这些列的指标无法判定"},
    {"%ld households of the manifest are not in the register (the first '%s'): the sample was drawn from another frame",
     "抽样清单中有 %ld 户不在建档立卡数据中（第一户“%s”）：样本是从另一个抽样框抽取的"},
    {"%ld of %ld rows name a %s that is not in the %s table (%s), the first '%s': %s",
     "共 %2$ld 行中有 %1$ld 行所填的%3$s不在%4$s数据表（%5$s）中，首个为 '%6$s'：%7$s"},
    {"%s %.0f is after the row's %s %.0f: a unit cannot have exited after the year of its data",
     "%s 为 %.0f，晚于该行的%s %.0f：不能在数据年度之后退出"},
    {"%s %.0f is before the row's %s %.0f while %s says yes: this year's claim and an earlier exit contradict each other",
     "%s 为 %.0f，早于该行的%s %.0f，而 %s 为是：本年度申请退出与往年已退出相互矛盾"},
    {"%s '%.*s' differs from that of its %s '%s' ('%s') and is not in the %s table; counted under the %s's",
     "%s '%.*s' 与其所属%s '%s' 的不一致（后者为 '%s'），且不在%s数据表中；按该%s的归属计入"},
    {"%s '%.*s' differs from that of its %s '%s' ('%s'); this %s is counted under its own %s",
     "%s '%.*s' 与其所属%s '%s' 的不一致（后者为 '%s'）；该%s按自身所填的%s计入"},
    {"%s '%.*s' is not in the %s table (%s): this %s is counted in no %s figure",
     "%s '%.*s' 不在%s数据表（%s）中：该%s不计入任何%s的汇总数字"},
    {"%s '%s' reports %s %s, its %s data give %s (beyond the tolerance of %s); the targets use %s",
     "%s '%s' 上报的 %s 为 %s，由其%s数据重算为 %s（超出容差 %s）；指标按 %s 判定"},
    {"%s is %s: a unit of the pps stratum '%s' needs a positive size; the unit is not drawn",
     "%s 为 %s：按规模抽样（pps）层“%s”的单位需要正的规模值；该单位不参与抽样"},
    {"%s is missing: a unit of the pps stratum '%s' needs a positive size; the unit is not drawn",
     "%s 缺失：按规模抽样（pps）层“%s”的单位需要正的规模值；该单位不参与抽样"},
    {"%s is missing: the village cannot be drawn within its county", "%s 缺失：无法在其所属县内抽取该村"},
    {"%s: expected %s, found '%s'", "%s：应为%s，实际为 '%s'"},
    {"%s: expected %s, found '%s'; %s", "%s：应为%s，实际为 '%s'；%s"},
    {"%zu more diagnostic not shown (--max-errors 0 shows all)\n", "另有 %zu 条诊断信息未显示（--max-errors 0 显示全部）\n"},
    {"%zu more diagnostics not shown (--max-errors 0 shows all)\n", "另有 %zu 条诊断信息未显示（--max-errors 0 显示全部）\n"},
    {"--encoding gb18030 was given, but the file starts with a UTF-8 byte order mark",
     "指定了 --encoding gb18030，但该文件以 UTF-8 字节顺序标记（BOM）开头"},
    {"--param: the pack '%s' has no parameter '%s' (it has: %s)", "--param：规则包 '%s' 中没有参数 '%s'（已有参数：%s）"},
    {"Bad file descriptor", "文件描述符无效"},
    {"Broken pipe", "管道已断开"},
    {"Cannot allocate memory", "无法分配内存"},
    {"Device or resource busy", "设备或资源忙"},
    {"Disk quota exceeded", "超出磁盘配额"},
    {"File name too long", "文件名过长"},
    {"File too large", "文件过大"},
    {"Input/output error", "输入/输出错误"},
    {"Invalid argument", "参数无效"},
    {"Is a directory", "是目录"},
    {"NUL byte in a field", "字段中有 NUL 字节"},
    {"No space left on device", "设备上没有剩余空间"},
    {"No such device or address", "没有该设备或地址"},
    {"No such file or directory", "没有该文件或目录"},
    {"Not a directory", "不是目录"},
    {"Operation not permitted", "不允许该操作"},
    {"Permission denied", "没有权限"},
    {"Read-only file system", "只读文件系统"},
    {"Too many levels of symbolic links", "符号链接层数过多"},
    {"Too many open files", "打开的文件过多"},
    {"a number", "数字"},
    {"a percent sign is accepted only on percentage columns", "只有百分比列可以带百分号"},
    {"a percentage such as 96, 96.5 or 96%", "百分数（如 96、96.5 或 96%）"},
    {"a value from %s to %s", "介于 %s 与 %s 之间的数值"},
    {"a value of at least %s", "不小于 %s 的数值"},
    {"a value of at most %s", "不大于 %s 的数值"},
    {"a whole number", "整数"},
    {"cannot compute the selection number of this unit (SHA-256 failed, or the id is too long)",
     "无法计算该单位的抽样随机数（SHA-256 计算失败，或编号过长）"},
    {"cannot create a temporary file in %s (TMPDIR chooses the directory): %s",
     "无法在 %s 中创建临时文件（可用环境变量 TMPDIR 指定目录）：%s"},
    {"cannot create the report: %s", "无法创建报告文件：%s"},
    {"cannot find the rule packs (looked next to the binary and in %s/rules); give -r RULES",
     "找不到规则包（已在程序所在目录及 %s/rules 中查找）；请用 -r 指定规则包"},
    {"cannot open: %s", "无法打开：%s"},
    {"cannot parse CSV: %s", "无法解析 CSV：%s"},
    {"cannot read back the temporary unit file: %s", "无法读回单位临时文件：%s"},
    {"cannot read the table again to leave its repeated ids out", "无法再次读取该表以剔除重复编号的行"},
    {"cannot read: %s", "无法读取：%s"},
    {"cannot use a temporary file to find repeated ids", "无法使用临时文件查找重复编号"},
    {"cannot use a temporary file: %s", "无法使用临时文件：%s"},
    {"cannot write a temporary file: %s", "无法写入临时文件：%s"},
    {"cannot write the report to standard output: %s", "无法将报告写到标准输出：%s"},
    {"cannot write the report: %s", "无法写入报告：%s"},
    {"cannot write the temporary unit file: %s", "无法写入单位临时文件：%s"},
    {"cannot write to standard output: %s", "无法写到标准输出：%s"},
    {"county '%s': stratum '%s' draws one village: verify cannot estimate the variance within it (the stratum adds 0 and is flagged)",
     "县“%s”：层“%s”只抽中一个村：verify 无法估计该层的方差（该层计 0 并予以标注）"},
    {"county '%s': stratum '%s' has %ld of the %ld villages it asks for: all are drawn",
     "县“%s”：层“%s”只有 %ld 个村，少于应抽的 %ld 个：全部抽取"},
    {"county '%s': stratum '%s' has no village (it asks for %ld)", "县“%s”：层“%s”没有村（应抽 %ld 个）"},
    {"data of %d: the pack %s applies to the years %s, so its targets may not be those in force in %d",
     "%d 年的数据：规则包 %s 适用于 %s 年，其指标未必是 %d 年实行的标准"},
    {"data size too large", "数据过大"},
    {"duplicate column '%s': column %d ('%s') already gives %s", "列 '%s' 重复：第 %d 列（'%s'）已对应 %s"},
    {"duplicate unit id", "单位编号重复"},
    {"empty file (a table needs at least its header line)", "空文件（数据表至少要有表头行）"},
    {"error", "错误"},
    {"error parsing data while strict checking enabled", "严格检查模式下解析数据出错"},
    {"exponents are not accepted: write the number in full", "不接受科学计数法：请写出完整的数"},
    {"field too long (the limit is %d bytes); is a quote left open?", "字段过长（上限为 %d 字节）；是否有引号未闭合？"},
    {"full-width digits are not accepted: use ASCII digits", "不接受全角数字：请使用半角数字"},
    {"hexadecimal numbers are not accepted", "不接受十六进制数"},
    {"holds none of the tables of pack '%s' (%s)", "不含规则包 '%s' 的任何数据表（%s）"},
    {"household '%s' is not in the manifest: a survey compares the households drawn", "户“%s”不在抽样清单中：调查比对的应是抽中的户"},
    {"invalid GB18030 byte sequence (byte 0x%02x); reading stopped, rows from line %ld on are not checked",
     "GB18030 字节序列无效（字节 0x%02x）；读取已停止，第 %ld 行及以后的行未核查"},
    {"invalid GB18030 byte sequence (byte 0x%02x); reading stopped, rows from line %ld on are not checked (the file was read as GB18030 from its first block)",
     "GB18030 字节序列无效（字节 0x%02x）；读取已停止，第 %ld 行及以后的行未核查（该文件是根据开头部分判定按 GB18030 读取的）"},
    {"invalid UTF-8 (byte 0x%02x); reading stopped, rows from line %ld on are not checked (if the file is GB18030, give --encoding gb18030)",
     "UTF-8 编码无效（字节 0x%02x）；读取已停止，第 %ld 行及以后的行未核查（如该文件为 GB18030 编码，请指定 --encoding gb18030）"},
    {"invalid UTF-8 (byte 0x%02x); reading stopped, rows from line %ld on are not checked (the file was read as UTF-8 from its first block: if it is GB18030, give --encoding gb18030)",
     "UTF-8 编码无效（字节 0x%02x）；读取已停止，第 %ld 行及以后的行未核查（该文件是根据开头部分判定按 UTF-8 读取的；如为 GB18030 编码，请指定 --encoding gb18030）"},
    {"invalid status code", "无效的状态码"},
    {"is a directory, not a CSV file", "是目录，不是 CSV 文件"},
    {"is an input of this run (%s): no output is written over an input", "是本次运行的输入文件（%s）：不会把输出写在输入文件上"},
    {"memory exhausted while increasing buffer size", "扩大缓冲区时内存耗尽"},
    {"nan and infinity are not numbers of any indicator", "nan 和 infinity 不能作为任何指标的数值"},
    {"no %s: this %s is counted in no %s figure", "该%2$s缺少 %1$s，不计入任何%3$s的汇总数字"},
    {"no header line", "没有表头行"},
    {"no manifest (--manifest): every household weighs 1, so the rates are the survey's own, unweighted, and the villages of each county form one stratum",
     "未提供抽样清单（--manifest）：每户权重为 1，各比率按调查样本直接计算（未加权），每县的村作为一个层"},
    {"no manifest or form was written: a sample drawn from input with errors is not one to survey",
     "未写出抽样清单和调查表：由有错误的输入抽出的样本不能用于实地调查"},
    {"no such rule pack (give a pack directory or its pack.yaml)", "没有这个规则包（请给出规则包目录或其中的 pack.yaml）"},
    {"no unit id", "缺少单位编号"},
    {"not a directory (give the directory that holds the CSV tables)", "不是目录（请给出存放 CSV 数据表的目录）"},
    {"not valid UTF-8; reading it as GB18030", "不是有效的 UTF-8 编码；按 GB18030 读取"},
    {"note", "提示"},
    {"one of %s", "以下取值之一：%s"},
    {"out of memory", "内存不足"},
    {"parameter '%s' has no value for %d: the targets that need it are unknown for %d (give --param %s=VALUE)",
     "参数 '%s' 没有 %d 年度的取值：%d 年度依赖该参数的指标无法判定（可用 --param %s=取值 指定）"},
    {"parameter '%s' is needed by rows without a year (or with one outside 1-9999): their targets that need it are unknown",
     "没有年度（或年度不在 1-9999 之间）的行需要参数 '%s'：这些行中依赖该参数的指标无法判定"},
    {"row rejected: %d field, the header has %d", "该行被拒绝：表头有 %2$d 个字段，该行却只有 %1$d 个"},
    {"row rejected: %d fields, the header has %d", "该行被拒绝：表头有 %2$d 个字段，该行却有 %1$d 个"},
    {"row rejected: %s '%s' is in the manifest twice (first at line %ld)", "拒收该行：%s“%s”在抽样清单中出现两次（第一次在第 %ld 行）"},
    {"row rejected: a field contains a NUL byte (is this a binary file?)", "该行被拒绝：某个字段含有 NUL 字节（是否为二进制文件？）"},
    {"row rejected: a quoted field is still open at the end of the file", "该行被拒绝：到文件末尾仍有引号字段未闭合"},
    {"row rejected: duplicate %s '%.*s' (first at line %ld)", "该行被拒绝：%s '%.*s' 重复（首次出现在第 %ld 行）"},
    {"row rejected: duplicate %s '%.*s' of a surveyed household (first at line %ld)",
     "拒收该行：被调查户的 %s“%.*s”重复（第一次在第 %ld 行）"},
    {"row rejected: household '%.*s' is in the survey twice (first at line %ld)", "拒收该行：户“%.*s”在调查表中出现两次（第一次在第 %ld 行）"},
    {"row rejected: its %s repeats that of line %ld", "拒收该行：其 %s 与第 %ld 行重复"},
    {"row rejected: level '%.*s' is neither %s nor %s", "拒收该行：层级“%.*s”既不是 %s 也不是 %s"},
    {"row rejected: no %s", "该行被拒绝：缺少 %s"},
    {"sample needs the %s table (%s, or --%s F)", "抽样需要%s表（%s，或用 --%s F 指定）"},
    {"stratum '%s' has fewer households than the %ld it asks for in %ld of the %zu drawn villages, all of whose households in it are drawn (the first: village '%s' at %s:%ld, with %ld)",
     "层“%1$s”在 %3$ld 个抽中村（共 %4$zu 个）中户数少于应抽的 %2$ld 户，这些村该层的户全部抽取（第一个：村“%5$s”，%6$s:%7$ld，%8$ld 户）"},
    {"success", "成功"},
    {"the file ends inside a UTF-8 character (is it cut short?); the record from line %ld on is not checked",
     "文件在一个 UTF-8 字符中间结束（是否被截断？）；从第 %ld 行开始的记录未核查"},
    {"the file is UTF-16; save it as CSV in UTF-8 or GB18030", "该文件为 UTF-16 编码；请另存为 UTF-8 或 GB18030 编码的 CSV 文件"},
    {"the file is neither UTF-8 nor GB18030 (invalid byte 0x%02x); save it as CSV in UTF-8",
     "该文件既不是 UTF-8 也不是 GB18030 编码（无效字节 0x%02x）；请另存为 UTF-8 编码的 CSV 文件"},
    {"the ids are in scientific notation (E+), as Excel shows long numbers: keep the id column as text",
     "代码为科学计数法（E+，Excel 显示长数字的方式）：请将代码列保存为文本"},
    {"the ids are spelt differently in the two tables, or the tables are not of the same places",
     "两表的代码写法不一致，或两表不属于同一地区"},
    {"the ids are written with full-width digits: use ASCII digits", "代码使用了全角数字：请改用半角数字"},
    {"the ids begin with an apostrophe, Excel's mark for text: remove it", "代码以单引号开头（Excel 的文本标记）：请删去"},
    {"the ids end in '.0', as Excel and pandas write numbers: keep the id column as text",
     "代码末尾带有 '.0'（Excel 或 pandas 将其当作数字写出）：请将代码列保存为文本"},
    {"the ids hold non-breaking or other spaces: remove them", "代码中含有不间断空格或其他空白：请删去"},
    {"the ids of the other table begin with an apostrophe, Excel's mark for text: remove it",
     "另一表的代码以单引号开头（Excel 的文本标记）：请删去"},
    {"the ids of the other table end in '.0', as Excel and pandas write numbers: keep the id column as text",
     "另一表的代码末尾带有 '.0'（Excel 或 pandas 将其当作数字写出）：请将代码列保存为文本"},
    {"the number is too large", "数值过大"},
    {"the pack '%s' has no 'verification' vetoes: the four figures are reported, no county is judged",
     "规则包“%s”没有“verification”否决标准：只报告四项指标，不对县作出判定"},
    {"the pack '%s' has no level '%.*s'", "规则包 '%s' 中没有层级 '%.*s'"},
    {"the pack '%s' has no level '%s'", "规则包 '%s' 中没有层级 '%s'"},
    {"the pack '%s' has no target '%s' (exitcheck list shows them)", "规则包 '%s' 中没有指标 '%s'（exitcheck list 可列出全部指标）"},
    {"the weight of a household must be a number of 1 or more (1 / pi)", "户的权重必须是不小于 1 的数（1 / π）"},
    {"this system's iconv cannot convert GB18030", "本系统的 iconv 不支持 GB18030 转换"},
    {"thousands separators are not accepted: write 1234.5, not 1,234.5", "不接受千位分隔符：应写 1234.5，而不是 1,234.5"},
    {"too many columns in the header (the limit is %d)", "表头列数过多（上限为 %d 列）"},
    {"unread", "未读取"},
    {"unterminated quoted field", "引号字段未闭合"},
    {"verify needs the register's %s table (%s, or --%s F)", "核查需要建档立卡数据的%s表（%s，或用 --%s F 指定）"},
    {"warning", "警告"},
    {"write the number alone, without a unit", "只填数字，不要带单位"},
    {"wrong number of fields", "字段个数不符"},
    {"yes or no (also y/n, true/false, 1/0, 是/否, 有/无)", "是或否（也可填 y/n、true/false、1/0、是/否、有/无）"},
};

static int cmp_entry(const void *key, const void *entry)
{
    return strcmp(key, ((const diag_zh_entry *)entry)->id);
}

const char *diag_zh(const char *msgid)
{
    if (!msgid)
        return msgid;
    const diag_zh_entry *e = bsearch(msgid, catalog, sizeof catalog / sizeof catalog[0], sizeof catalog[0], cmp_entry);
    return e ? e->zh : msgid;
}

const diag_zh_entry *diag_zh_entries(size_t *n)
{
    *n = sizeof catalog / sizeof catalog[0];
    return catalog;
}
