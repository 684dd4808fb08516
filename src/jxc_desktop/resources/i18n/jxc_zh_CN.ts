<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>jxc</name>
    <message>
        <source>  #{id} {cashier} {start}–{end}</source>
        <translation>  #{id} {cashier} {start}–{end}</translation>
    </message>
    <message>
        <source>  Change: {amount}</source>
        <translation>  找零：{amount}</translation>
    </message>
    <message>
        <source> (laid out by hand: kept as typed)</source>
        <translation>（手写规则：原样保留）</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source> days of history</source>
        <translation> 天的历史数据</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source> points pay 1 yuan</source>
        <translation> 积分抵 1 元</translation>
    </message>
    <message>
        <source> points per yuan paid</source>
        <translation> 积分/每付 1 元</translation>
    </message>
    <message>
        <source> products</source>
        <translation> 个商品</translation>
    </message>
    <message>
        <source> weeks</source>
        <translation> 周</translation>
    </message>
    <message>
        <source> yuan (0: never)</source>
        <translation> 元（0：不需要）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>'{value}' is not a date (YYYY-MM-DD)</source>
        <translation>“{value}”不是日期（格式：年-月-日，如 2026-11-25）</translation>
    </message>
    <message>
        <source>'{value}' is not a date and time ({hint})</source>
        <translation>“{value}”不是日期时间（{hint}）</translation>
    </message>
    <message>
        <source>'{value}' is not a percentage from 0 to 100</source>
        <translation>“{value}”不是 0 到 100 之间的百分比</translation>
    </message>
    <message>
        <source>(above the credit limit {limit}: the owner must approve)</source>
        <translation>（超过信用额度 {limit}：需老板批准）</translation>
    </message>
    <message>
        <source>(closed)</source>
        <translation>（已交班）</translation>
    </message>
    <message>
        <source>(locked)</source>
        <translation>（已锁定）</translation>
    </message>
    <message>
        <source>(no batch)</source>
        <translation>（无批次）</translation>
    </message>
    <message>
        <source>(no printer installed)</source>
        <translation>（未安装打印机）</translation>
    </message>
    <message>
        <source>(no supplier yet)</source>
        <translation>（尚无供应商）</translation>
    </message>
    <message>
        <source>(no supplier)</source>
        <translation>(无供应商)</translation>
    </message>
    <message>
        <source>(nobody signed in)</source>
        <translation>（未签到）</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>(not posted yet)</source>
        <translation>（未过账）</translation>
    </message>
    <message>
        <source>(nothing to keep)</source>
        <translation>（无需保留）</translation>
    </message>
    <message>
        <source>(still open)</source>
        <translation>（未交班）</translation>
    </message>
    <message>
        <source>(stock without a batch)</source>
        <translation>（无批次的库存）</translation>
    </message>
    <message>
        <source>(type your number)</source>
        <translation>（输入工号）</translation>
    </message>
    <message>
        <source>--expiring must be from 0 to 36500 days</source>
        <translation>--expiring 必须是 0 到 36500 天</translation>
    </message>
    <message>
        <source>--limit must be from 1 to 500</source>
        <translation>--limit 必须是 1 到 500</translation>
    </message>
    <message>
        <source>--top/--bottom need --by product or --by category</source>
        <translation>--top/--bottom 需要配合 --by product 或 --by category</translation>
    </message>
    <message>
        <source>0 bytes</source>
        <translation>0 字节</translation>
    </message>
    <message>
        <source>13-character patterns separated by ';' — 2 and digits fixed, X any digit, I item code, W weight in grams or P price in fen, C check digit. The first matching rule wins.</source>
        <translation>13 位规则，用“;”分隔：2 和数字为固定位，X 任意位，I 商品码，W 重量（克）或 P 金额（分），C 校验位。按顺序第一条匹配的规则生效。</translation>
    </message>
    <message>
        <source>1–30 days</source>
        <translation>逾期 1–30 天</translation>
    </message>
    <message>
        <source>31–60 days</source>
        <translation>逾期 31–60 天</translation>
    </message>
    <message>
        <source>4 to 12 digits. When a PIN is set, refunds, reversals, price changes, counts, settings, backups and profit need it. Forgotten? Only the owner can remove it at the command line: jxc pin reset --i-am-the-owner</source>
        <translation>4 到 12 位数字。设置老板密码后，退款、红冲、改价、盘点、设置、备份和查看利润都需要输入密码。忘记了？只有老板本人可以在命令行删除：jxc pin reset --i-am-the-owner</translation>
    </message>
    <message>
        <source>4 to 12 digits. When a PIN is set, refunds, reversals, price changes, counts, settings, backups, costs and profit need it. You get a recovery code to keep in case you forget it.</source>
        <translation>4 到 12 位数字。设置密码后，退款、红冲、改价、盘点、设置、备份、成本和利润都需要输入老板密码。设置时会给您一个恢复码，以备忘记密码时使用。</translation>
    </message>
    <message>
        <source>58 mm</source>
        <translation>58 毫米</translation>
    </message>
    <message>
        <source>61–90 days</source>
        <translation>逾期 61–90 天</translation>
    </message>
    <message>
        <source>80 mm</source>
        <translation>80 毫米</translation>
    </message>
    <message>
        <source>; below the minimum {min}</source>
        <translation>；低于最低库存 {min}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Welcome!&lt;/b&gt;&lt;br&gt;This program keeps your purchases, stock and sales on this computer. Enter the name of your shop and choose how to begin.</source>
        <translation>&lt;b&gt;欢迎！&lt;/b&gt;&lt;br&gt;本程序在这台电脑上记录您的进货、库存和销售。请输入店名并选择开始方式。</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Owner PIN recovery code&lt;/h2&gt;&lt;p&gt;{shop}&lt;/p&gt;&lt;p style='font-size:20pt'&gt;&lt;b&gt;{code}&lt;/b&gt;&lt;/p&gt;&lt;p&gt;If the owner PIN is forgotten: jxc pin reset --recovery-code-file FILE (FILE holds this code). Keep this paper away from the till.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;老板密码恢复码&lt;/h2&gt;&lt;p&gt;{shop}&lt;/p&gt;&lt;p style='font-size:20pt'&gt;&lt;b&gt;{code}&lt;/b&gt;&lt;/p&gt;&lt;p&gt;忘记老板密码时：jxc pin reset --recovery-code-file 文件（文件中写入此恢复码）。请把这张纸放在收银台以外的地方。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;h3&gt;JXC Desktop {version}&lt;/h3&gt;&lt;p&gt;Purchase, stock and sales for a small shop.&lt;/p&gt;&lt;p&gt;Data file: {path}&lt;/p&gt;&lt;p&gt;Licence: MIT&lt;/p&gt;</source>
        <translation>&lt;h3&gt;进销存 {version}&lt;/h3&gt;&lt;p&gt;小店的进货、库存和销售管理。&lt;/p&gt;&lt;p&gt;数据文件：{path}&lt;/p&gt;&lt;p&gt;许可证：MIT&lt;/p&gt;</translation>
    </message>
    <message>
        <source>A = the products that make the first {a}% of the whole, B = the next {b}%, C = the rest (a product is A while the share before it is below {a}%).</source>
        <translation>A 类 = 合计占前 {a}% 的商品，B 类 = 其后 {b}%，C 类 = 其余（排在某商品之前的累计占比低于 {a}% 时，该商品为 A 类）。</translation>
    </message>
    <message>
        <source>A backup cannot be written over the data file itself.</source>
        <translation>备份不能写到数据文件本身上。</translation>
    </message>
    <message>
        <source>A backup of another shop file, not of this one: {path}</source>
        <translation>这是另一个店铺文件的备份，不是本店的：{path}</translation>
    </message>
    <message>
        <source>A barcode of the grid is empty</source>
        <translation>颜色尺码表中有一个条码是空的</translation>
    </message>
    <message>
        <source>A batch number of 1 to 40 characters is required</source>
        <translation>请填写批号（1 到 40 个字符）</translation>
    </message>
    <message>
        <source>A card number holds letters, digits and - only, not '{card}'</source>
        <translation>卡号只能包含字母、数字和 -，'{card}' 不行</translation>
    </message>
    <message>
        <source>A cart line does not name a product</source>
        <translation>购物车中有一行没有对应的商品</translation>
    </message>
    <message>
        <source>A case barcode can stand for several units, e.g. 12 per scan.</source>
        <translation>整箱条码可代表多个单位，例如扫一次算 12 个。</translation>
    </message>
    <message>
        <source>A cashier needs a PIN (or set "no PIN for cashiers")</source>
        <translation>收银员需要密码（或设置“收银员免密码”）</translation>
    </message>
    <message>
        <source>A custom period needs a first and a last day</source>
        <translation>自定义期间需要开始日期和结束日期</translation>
    </message>
    <message>
        <source>A customer named {name} already exists</source>
        <translation>已有名为 {name} 的客户</translation>
    </message>
    <message>
        <source>A discount must not be negative</source>
        <translation>优惠不能为负数</translation>
    </message>
    <message>
        <source>A file holds at most {n} sales</source>
        <translation>一个文件最多 {n} 笔销售</translation>
    </message>
    <message>
        <source>A level discount must be 1 to 100 percent of the retail price</source>
        <translation>等级折扣须为零售价的 1% 到 100%</translation>
    </message>
    <message>
        <source>A line does not name a product</source>
        <translation>有一行没有对应的商品</translation>
    </message>
    <message>
        <source>A member</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>A member level named {name} already exists</source>
        <translation>已有名为 {name} 的会员等级</translation>
    </message>
    <message>
        <source>A member needs a phone number or a card number</source>
        <translation>会员须有手机号或卡号</translation>
    </message>
    <message>
        <source>A member's phone is 3 to 20 digits, not '{phone}'</source>
        <translation>会员手机号应为 3 到 20 位数字，'{phone}' 不是</translation>
    </message>
    <message>
        <source>A new batch not in the books:</source>
        <translation>账上没有的新批次：</translation>
    </message>
    <message>
        <source>A new language takes effect the next time the program starts.</source>
        <translation>新的语言在下次启动程序时生效。</translation>
    </message>
    <message>
        <source>A note holds at most {n} lines</source>
        <translation>一张单据最多 {n} 行</translation>
    </message>
    <message>
        <source>A payment must not be negative</source>
        <translation>付款金额不能为负数</translation>
    </message>
    <message>
        <source>A price must not be negative</source>
        <translation>价格不能为负数</translation>
    </message>
    <message>
        <source>A promotion names at most {n} products or categories</source>
        <translation>一个促销最多指定 {n} 个商品或分类</translation>
    </message>
    <message>
        <source>A row with a style needs its 款号, 颜色 and 尺码</source>
        <translation>填了款号的行还需要填颜色和尺码</translation>
    </message>
    <message>
        <source>A sale holds at most {n} lines</source>
        <translation>一笔销售最多 {n} 行</translation>
    </message>
    <message>
        <source>A sale on account (credit) needs the customer column</source>
        <translation>挂账销售需要填写客户列</translation>
    </message>
    <message>
        <source>A sale on account above the customer's credit limit</source>
        <translation>超过客户信用额度的挂账</translation>
    </message>
    <message>
        <source>A scale label carries a weight or a price</source>
        <translation>秤码只能带重量或金额</translation>
    </message>
    <message>
        <source>A shop day in 8 steps</source>
        <translation>一天的店务：8 个步骤</translation>
    </message>
    <message>
        <source>A special price needs at least one product</source>
        <translation>特价至少要指定一个商品</translation>
    </message>
    <message>
        <source>A style needs at least one colour</source>
        <translation>款式至少要有一个颜色</translation>
    </message>
    <message>
        <source>A style needs at least one size</source>
        <translation>款式至少要有一个尺码</translation>
    </message>
    <message>
        <source>A4 sheet, 3×8 (24 labels)</source>
        <translation>A4 标签纸 3×8（每页 24 张）</translation>
    </message>
    <message>
        <source>A4 sheet, 4×10 (40 labels)</source>
        <translation>A4 标签纸 4×10（每页 40 张）</translation>
    </message>
    <message>
        <source>ABC classes</source>
        <translation>ABC 分类</translation>
    </message>
    <message>
        <source>ABC: class A, the first</source>
        <translation>ABC 分类：A 类为前</translation>
    </message>
    <message>
        <source>ABC: class B, the next</source>
        <translation>ABC 分类：B 类为其后</translation>
    </message>
    <message>
        <source>About JXC Desktop</source>
        <translation>关于进销存</translation>
    </message>
    <message>
        <source>Above maximum</source>
        <translation>高于上限</translation>
    </message>
    <message>
        <source>Account entry {id} does not exist</source>
        <translation>往来明细 {id} 不存在</translation>
    </message>
    <message>
        <source>Accounts (往来)</source>
        <translation>往来</translation>
    </message>
    <message>
        <source>Acknowledge…</source>
        <translation>确认…</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>操作：</translation>
    </message>
    <message>
        <source>Activate</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Add (negative: take off):</source>
        <translation>增加（负数为扣减）：</translation>
    </message>
    <message>
        <source>Add a person</source>
        <translation>添加员工</translation>
    </message>
    <message>
        <source>Add barcode</source>
        <translation>添加条码</translation>
    </message>
    <message>
        <source>Add colour</source>
        <translation>添加颜色</translation>
    </message>
    <message>
        <source>Add colour…</source>
        <translation>添加颜色…</translation>
    </message>
    <message>
        <source>Add common categories: {names}</source>
        <translation>添加常用分类：{names}</translation>
    </message>
    <message>
        <source>Add lines first: scan or search the goods.</source>
        <translation>请先添加商品：扫码或搜索。</translation>
    </message>
    <message>
        <source>Add product</source>
        <translation>添加商品</translation>
    </message>
    <message>
        <source>Add products to see what a cart would get.</source>
        <translation>添加商品，看看这单能享受哪些优惠。</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <source>Add size</source>
        <translation>添加尺码</translation>
    </message>
    <message>
        <source>Add size…</source>
        <translation>添加尺码…</translation>
    </message>
    <message>
        <source>Add the owner or a cashier to the staff list first (Staff…).</source>
        <translation>请先在员工名单里添加老板或收银员（员工…）。</translation>
    </message>
    <message>
        <source>Add the scanned or chosen product</source>
        <translation>加入扫描或选中的商品</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Address: {address}</source>
        <translation>地址：{address}</translation>
    </message>
    <message>
        <source>Adjust stock by hand</source>
        <translation>手工调整库存</translation>
    </message>
    <message>
        <source>Adjustment</source>
        <translation>调整</translation>
    </message>
    <message>
        <source>After</source>
        <translation>修改后</translation>
    </message>
    <message>
        <source>Again for every full threshold (每满)</source>
        <translation>每满一次减一次（每满）</translation>
    </message>
    <message>
        <source>Against purchase note: {number}</source>
        <translation>原进货单：{number}</translation>
    </message>
    <message>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>全部操作</translation>
    </message>
    <message>
        <source>All active products</source>
        <translation>全部在用商品</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>全部分类</translation>
    </message>
    <message>
        <source>All lines</source>
        <translation>全部行</translation>
    </message>
    <message>
        <source>All products</source>
        <translation>全部商品</translation>
    </message>
    <message>
        <source>All rows</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>All suppliers</source>
        <translation>全部供应商</translation>
    </message>
    <message>
        <source>Allocate</source>
        <translation>本次核销</translation>
    </message>
    <message>
        <source>Allocated {allocated} of {amount}</source>
        <translation>已分配 {allocated} / {amount}</translation>
    </message>
    <message>
        <source>Allocation {id} does not exist</source>
        <translation>核销记录 {id} 不存在</translation>
    </message>
    <message>
        <source>Allow</source>
        <translation>允许</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Amount due</source>
        <translation>应收金额</translation>
    </message>
    <message>
        <source>Amount due: {amount}</source>
        <translation>应收：{amount}</translation>
    </message>
    <message>
        <source>Amount in words: {words}</source>
        <translation>合计金额（大写）：{words}</translation>
    </message>
    <message>
        <source>Amount is not an amount of money</source>
        <translation>金额不是有效的金额</translation>
    </message>
    <message>
        <source>Amount is too large</source>
        <translation>金额过大</translation>
    </message>
    <message>
        <source>Amount received:</source>
        <translation>实收金额：</translation>
    </message>
    <message>
        <source>Amount:</source>
        <translation>金额：</translation>
    </message>
    <message>
        <source>An allocation must be more than zero</source>
        <translation>核销金额必须大于零</translation>
    </message>
    <message>
        <source>An allocation settles a document owed by a payment or credit</source>
        <translation>核销是用付款或贷项冲抵欠款单据</translation>
    </message>
    <message>
        <source>An argument is not valid text (bytes that are not UTF-8): {arg}</source>
        <translation>命令行参数不是有效的文字（含有非 UTF-8 字节）：{arg}</translation>
    </message>
    <message>
        <source>An in-store barcode starts with 20 to 29, not {prefix}</source>
        <translation>店内码以 20 至 29 开头，不能以 {prefix} 开头</translation>
    </message>
    <message>
        <source>An interrupted write is pending in this file; the next start undoes it (the check read the file as it will be then, without changing it).</source>
        <translation>此文件中有一次被中断的写入；下次启动时会撤销它（本次检查按撤销后的样子读取，没有修改文件）。</translation>
    </message>
    <message>
        <source>Another shop</source>
        <translation>其他店铺</translation>
    </message>
    <message>
        <source>Another till was changing the same goods or documents at the same moment, so nothing was saved. Try again.</source>
        <translation>另一台收银机正在同时修改相同的商品或单据，因此没有保存。请再试一次。</translation>
    </message>
    <message>
        <source>Approved by</source>
        <translation>审核</translation>
    </message>
    <message>
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>At most {n} labels in one go</source>
        <translation>一次最多打印 {n} 张标签</translation>
    </message>
    <message>
        <source>At most {n} promotions per file</source>
        <translation>一个文件最多 {n} 个促销</translation>
    </message>
    <message>
        <source>At the till</source>
        <translation>收银台</translation>
    </message>
    <message>
        <source>Audit action must be 1 to 40 characters</source>
        <translation>审计操作名须为 1 到 40 个字符</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Audit log…</source>
        <translation>审计日志…</translation>
    </message>
    <message>
        <source>Automatic backup failed: {reason}</source>
        <translation>自动备份失败：{reason}</translation>
    </message>
    <message>
        <source>Average cost</source>
        <translation>平均成本</translation>
    </message>
    <message>
        <source>Average stock</source>
        <translation>平均库存</translation>
    </message>
    <message>
        <source>Average ticket</source>
        <translation>客单价</translation>
    </message>
    <message>
        <source>Average unit cost</source>
        <translation>平均单价</translation>
    </message>
    <message>
        <source>Avg cost</source>
        <translation>平均成本</translation>
    </message>
    <message>
        <source>Back up now…</source>
        <translation>立即备份…</translation>
    </message>
    <message>
        <source>Back up the data</source>
        <translation>备份数据</translation>
    </message>
    <message>
        <source>Back up to which folder?</source>
        <translation>备份到哪个文件夹？</translation>
    </message>
    <message>
        <source>Backing up today's work before closing…</source>
        <translation>正在备份今天的营业数据，然后关闭…</translation>
    </message>
    <message>
        <source>Backing up…</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <source>Backup folder</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <source>Backup folder…</source>
        <translation>备份文件夹…</translation>
    </message>
    <message>
        <source>Backup made {when}
{products} products, {sales} sales, last sale {last}
File: {path}</source>
        <translation>备份时间 {when}
商品 {products} 个，销售 {sales} 笔，最后一笔销售 {last}
文件：{path}</translation>
    </message>
    <message>
        <source>Backups in {folder}:</source>
        <translation>{folder} 中的备份：</translation>
    </message>
    <message>
        <source>Backups need a database file</source>
        <translation>备份需要一个数据库文件</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>余额</translation>
    </message>
    <message>
        <source>Balance owed</source>
        <translation>累计欠款</translation>
    </message>
    <message>
        <source>Balance owed: {amount}</source>
        <translation>累计欠款：{amount}</translation>
    </message>
    <message>
        <source>Balance qty</source>
        <translation>结存数量</translation>
    </message>
    <message>
        <source>Balance value</source>
        <translation>结存金额</translation>
    </message>
    <message>
        <source>Balance: what the customer owes the shop</source>
        <translation>余额：客户应付本店的金额</translation>
    </message>
    <message>
        <source>Balance: what the shop owes the supplier</source>
        <translation>余额：本店应付供应商的金额</translation>
    </message>
    <message>
        <source>Balanced</source>
        <translation>相符</translation>
    </message>
    <message>
        <source>Balances</source>
        <translation>余额一览</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <source>Bank transfer</source>
        <translation>银行转账</translation>
    </message>
    <message>
        <source>Barcode</source>
        <translation>条码</translation>
    </message>
    <message>
        <source>Barcode '{code}' has characters a scanner does not send</source>
        <translation>条码“{code}”含有扫码枪不会输入的字符</translation>
    </message>
    <message>
        <source>Barcode given for {colour}/{size}, which is not in the grid</source>
        <translation>为 {colour}/{size} 填了条码，但该颜色尺码不在表中</translation>
    </message>
    <message>
        <source>Barcode labels</source>
        <translation>条码标签</translation>
    </message>
    <message>
        <source>Barcode {code} already belongs to product {other}</source>
        <translation>条码 {code} 已属于货号为 {other} 的商品</translation>
    </message>
    <message>
        <source>Barcode {code} already belongs to {name}</source>
        <translation>条码 {code} 已属于商品“{name}”</translation>
    </message>
    <message>
        <source>Barcode {code} has a wrong check digit</source>
        <translation>条码 {code} 的校验位不正确</translation>
    </message>
    <message>
        <source>Barcode {code} is already used</source>
        <translation>条码 {code} 已被使用</translation>
    </message>
    <message>
        <source>Barcode {code} is listed twice</source>
        <translation>条码 {code} 填写了两次</translation>
    </message>
    <message>
        <source>Barcode {code} is not in the catalog. Create a new product with it now?</source>
        <translation>条码 {code} 不在商品库中。现在用它新建商品吗？</translation>
    </message>
    <message>
        <source>Barcode {code} repeats row {other}</source>
        <translation>条码 {code} 与第 {other} 行重复</translation>
    </message>
    <message>
        <source>Barcode {code} was turned into a number by a spreadsheet; save the file as .xlsx or format the column as text</source>
        <translation>条码 {code} 被电子表格改成了数字（位数已丢失）；请保存为 .xlsx 文件，或把该列设为文本格式</translation>
    </message>
    <message>
        <source>Barcodes</source>
        <translation>条码</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>Batch number</source>
        <translation>批号</translation>
    </message>
    <message>
        <source>Batch of {name}</source>
        <translation>{name} 的批次</translation>
    </message>
    <message>
        <source>Batch tracking</source>
        <translation>批次管理</translation>
    </message>
    <message>
        <source>Batch tracking can be changed only while the product has no stock</source>
        <translation>只有在商品没有库存时才能更改批次管理</translation>
    </message>
    <message>
        <source>Batch {batch} of {name} is not in this count</source>
        <translation>{name} 的批号 {batch} 不在本盘点单中</translation>
    </message>
    <message>
        <source>Batch {batch}, expires {expiry}</source>
        <translation>批号 {batch}，到期 {expiry}</translation>
    </message>
    <message>
        <source>Batches</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Batches (not tracked)</source>
        <translation>批次（未启用批次管理）</translation>
    </message>
    <message>
        <source>Batches of {name}</source>
        <translation>{name} 的批次</translation>
    </message>
    <message>
        <source>Baud rate</source>
        <translation>波特率</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <source>Below minimum</source>
        <translation>低于下限</translation>
    </message>
    <message>
        <source>Below minimum stock ({qty})</source>
        <translation>低于最低库存（{qty}）</translation>
    </message>
    <message>
        <source>Best sellers</source>
        <translation>畅销商品</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>生日</translation>
    </message>
    <message>
        <source>Blank sheet PDF…</source>
        <translation>空白盘点表 PDF…</translation>
    </message>
    <message>
        <source>Block the sale</source>
        <translation>禁止销售</translation>
    </message>
    <message>
        <source>Bonus</source>
        <translation>赠送</translation>
    </message>
    <message>
        <source>Bonus (充100送10):</source>
        <translation>赠送金额（充100送10）：</translation>
    </message>
    <message>
        <source>Book qty</source>
        <translation>开单账存</translation>
    </message>
    <message>
        <source>Bottom</source>
        <translation>后</translation>
    </message>
    <message>
        <source>Bottom 20</source>
        <translation>后 20 名</translation>
    </message>
    <message>
        <source>Brand</source>
        <translation>品牌</translation>
    </message>
    <message>
        <source>Bring back</source>
        <translation>恢复启用</translation>
    </message>
    <message>
        <source>Broken sizes</source>
        <translation>断码</translation>
    </message>
    <message>
        <source>Broken sizes (断码)</source>
        <translation>断码</translation>
    </message>
    <message>
        <source>Buy N</source>
        <translation>买N件</translation>
    </message>
    <message>
        <source>Buy N pay M</source>
        <translation>买N付M</translation>
    </message>
    <message>
        <source>Buy N: N must be 2 to 100</source>
        <translation>买N：N 必须在 2 到 100 之间</translation>
    </message>
    <message>
        <source>Buy {n} pay {m}: M must be at least 1 and less than N</source>
        <translation>买{n}付{m}：M 至少为 1 且必须小于 N</translation>
    </message>
    <message>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <source>By category</source>
        <translation>按分类</translation>
    </message>
    <message>
        <source>By category and month</source>
        <translation>按分类和月份</translation>
    </message>
    <message>
        <source>By colour</source>
        <translation>按颜色</translation>
    </message>
    <message>
        <source>By colour and size</source>
        <translation>按颜色尺码</translation>
    </message>
    <message>
        <source>By day</source>
        <translation>按日</translation>
    </message>
    <message>
        <source>By gross profit</source>
        <translation>按毛利</translation>
    </message>
    <message>
        <source>By month</source>
        <translation>按月</translation>
    </message>
    <message>
        <source>By net sales</source>
        <translation>按净销售额</translation>
    </message>
    <message>
        <source>By product</source>
        <translation>按商品</translation>
    </message>
    <message>
        <source>By size</source>
        <translation>按尺码</translation>
    </message>
    <message>
        <source>By style</source>
        <translation>按款式</translation>
    </message>
    <message>
        <source>By supplier</source>
        <translation>按供应商</translation>
    </message>
    <message>
        <source>By week</source>
        <translation>按周</translation>
    </message>
    <message>
        <source>COM3 or /dev/ttyUSB0</source>
        <translation>COM3 或 /dev/ttyUSB0</translation>
    </message>
    <message>
        <source>Calculate</source>
        <translation>计算</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancel count</source>
        <translation>作废盘点单</translation>
    </message>
    <message>
        <source>Cancel count {number}? What was counted is discarded; stock does not change.</source>
        <translation>作废盘点单 {number}？已盘数量将被丢弃，库存不变。</translation>
    </message>
    <message>
        <source>Cancelled; nothing was changed</source>
        <translation>已取消，没有做任何更改</translation>
    </message>
    <message>
        <source>Cannot create the folder {folder}: {reason}</source>
        <translation>无法创建文件夹 {folder}：{reason}</translation>
    </message>
    <message>
        <source>Cannot do that</source>
        <translation>无法完成操作</translation>
    </message>
    <message>
        <source>Cannot group by {field}</source>
        <translation>不能按 {field} 分组</translation>
    </message>
    <message>
        <source>Cannot open the database</source>
        <translation>无法打开数据文件</translation>
    </message>
    <message>
        <source>Cannot open {path}: {reason}</source>
        <translation>无法打开 {path}：{reason}</translation>
    </message>
    <message>
        <source>Cannot read the PIN file {path}: {reason}</source>
        <translation>无法读取密码文件 {path}：{reason}</translation>
    </message>
    <message>
        <source>Cannot read the database file {path}: {reason}</source>
        <translation>无法读取数据库文件 {path}：{reason}</translation>
    </message>
    <message>
        <source>Cannot read {path}: {reason}</source>
        <translation>无法读取 {path}：{reason}</translation>
    </message>
    <message>
        <source>Cannot sort by {field}</source>
        <translation>不能按 {field} 排序</translation>
    </message>
    <message>
        <source>Cannot sort by {key}</source>
        <translation>不能按 {key} 排序</translation>
    </message>
    <message>
        <source>Cannot use {path} as a data file: its name is {size} bytes long, and SQLite needs room beside it for its journal, so a data file name may have at most {limit} bytes. Choose a shorter name.</source>
        <translation>不能使用 {path} 作为数据文件：文件名长 {size} 字节，而 SQLite 需要在旁边建立同名的日志文件，所以数据文件名最多只能有 {limit} 字节。请换一个短一些的文件名。</translation>
    </message>
    <message>
        <source>Cannot write in the folder {folder}: {reason}</source>
        <translation>无法在文件夹 {folder} 中写入：{reason}</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}</source>
        <translation>无法写入 {path}：{reason}</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>卡号</translation>
    </message>
    <message>
        <source>Carries</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Cart cleared</source>
        <translation>购物车已清空</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>Cash counted</source>
        <translation>实点现金</translation>
    </message>
    <message>
        <source>Cash counted (shifts)</source>
        <translation>实点现金（各班）</translation>
    </message>
    <message>
        <source>Cash drawer opened</source>
        <translation>打开钱箱</translation>
    </message>
    <message>
        <source>Cash drawer opened ({who})</source>
        <translation>钱箱已打开（{who}）</translation>
    </message>
    <message>
        <source>Cash expected</source>
        <translation>应有现金</translation>
    </message>
    <message>
        <source>Cash expected (shifts)</source>
        <translation>应有现金（各班）</translation>
    </message>
    <message>
        <source>Cash expected = float + cash takings − cash refunds + cash paid in − cash paid out; over/short = counted − expected (closed shifts).</source>
        <translation>应有现金 = 备用金 + 现金收款 − 现金退款 + 存入 − 付出；长短款 = 实点 − 应有（已交班的班次）。</translation>
    </message>
    <message>
        <source>Cash in or out of the drawer</source>
        <translation>钱箱存取现金</translation>
    </message>
    <message>
        <source>Cash in the drawer</source>
        <translation>钱箱现金</translation>
    </message>
    <message>
        <source>Cash in/out of the drawer</source>
        <translation>钱箱存取现金</translation>
    </message>
    <message>
        <source>Cash in/out…</source>
        <translation>存取现金…</translation>
    </message>
    <message>
        <source>Cash paid in</source>
        <translation>存入现金</translation>
    </message>
    <message>
        <source>Cash paid out</source>
        <translation>付出现金</translation>
    </message>
    <message>
        <source>Cash received</source>
        <translation>实收现金</translation>
    </message>
    <message>
        <source>Cash received {cash} is less than the amount due {due}</source>
        <translation>实收现金 {cash} 少于应收 {due}</translation>
    </message>
    <message>
        <source>Cash refunds</source>
        <translation>现金退款</translation>
    </message>
    <message>
        <source>Cash sales</source>
        <translation>现金收款</translation>
    </message>
    <message>
        <source>Cash taken out</source>
        <translation>取出现金</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <source>Cashier PIN entry locked</source>
        <translation>收银员密码已锁定</translation>
    </message>
    <message>
        <source>Cashier PIN reset</source>
        <translation>重设收银员密码</translation>
    </message>
    <message>
        <source>Cashier:</source>
        <translation>收银员：</translation>
    </message>
    <message>
        <source>Cashier: ____________</source>
        <translation>收银员：____________</translation>
    </message>
    <message>
        <source>Cashier: {name}</source>
        <translation>收银员：{name}</translation>
    </message>
    <message>
        <source>Catalogue price {price}</source>
        <translation>标价 {price}</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>商品分类</translation>
    </message>
    <message>
        <source>Categories…</source>
        <translation>分类管理…</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Category name</source>
        <translation>分类名称</translation>
    </message>
    <message>
        <source>Category {id} does not exist</source>
        <translation>分类 {id} 不存在</translation>
    </message>
    <message>
        <source>Category {name} already exists</source>
        <translation>分类“{name}”已存在</translation>
    </message>
    <message>
        <source>Category {name} has sub-categories</source>
        <translation>分类“{name}”下还有子分类</translation>
    </message>
    <message>
        <source>Category {name} still holds {count} products</source>
        <translation>分类“{name}”下还有 {count} 个商品</translation>
    </message>
    <message>
        <source>Category:</source>
        <translation>分类：</translation>
    </message>
    <message>
        <source>Cell {cell} holds '{value}', which is not a number</source>
        <translation>单元格 {cell} 的内容“{value}”不是数字</translation>
    </message>
    <message>
        <source>Cell {cell} holds a formula without a saved result; open the file in Excel or WPS, save it, and import it again</source>
        <translation>单元格 {cell} 是公式，但没有保存计算结果；请用 Excel 或 WPS 打开文件、保存后重新导入</translation>
    </message>
    <message>
        <source>Cell {cell} is part of the merged cells {range}; unmerge them and fill in every row</source>
        <translation>单元格 {cell} 属于合并单元格 {range}；请取消合并并在每一行分别填写</translation>
    </message>
    <message>
        <source>Cell {cell} lies beyond column {limit}; a table may have at most {limit} columns</source>
        <translation>单元格 {cell} 超出了第 {limit} 列；表格最多 {limit} 列</translation>
    </message>
    <message>
        <source>Cell {cell} shows the error {value}</source>
        <translation>单元格 {cell} 显示错误 {value}</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>找零</translation>
    </message>
    <message>
        <source>Change data</source>
        <translation>修改数据</translation>
    </message>
    <message>
        <source>Change on last year</source>
        <translation>同比</translation>
    </message>
    <message>
        <source>Change on previous</source>
        <translation>环比</translation>
    </message>
    <message>
        <source>Change settings</source>
        <translation>修改设置</translation>
    </message>
    <message>
        <source>Change: {amount}</source>
        <translation>找零：{amount}</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Check the data file</source>
        <translation>检查数据文件</translation>
    </message>
    <message>
        <source>Checked by</source>
        <translation>复核人</translation>
    </message>
    <message>
        <source>Checked by: ____________</source>
        <translation>复核：____________</translation>
    </message>
    <message>
        <source>Checking the data file…</source>
        <translation>正在检查数据文件…</translation>
    </message>
    <message>
        <source>Checkout</source>
        <translation>收银</translation>
    </message>
    <message>
        <source>Checkout tab: scan, or type pinyin initials and Enter. F2 changes the quantity, F6 deletes a line, F12 pays: type the cash received and the change shows.</source>
        <translation>收银页：扫码，或输入拼音首字母后按回车。F2 改数量，F6 删除一行，F12 收款：输入实收现金即显示找零。</translation>
    </message>
    <message>
        <source>Choose a backup file</source>
        <translation>选择备份文件</translation>
    </message>
    <message>
        <source>Choose a cashier in the list first</source>
        <translation>请先在名单中选择收银员</translation>
    </message>
    <message>
        <source>Choose a data file</source>
        <translation>选择数据文件</translation>
    </message>
    <message>
        <source>Choose a line first</source>
        <translation>请先选择一行商品</translation>
    </message>
    <message>
        <source>Choose a product first</source>
        <translation>请先选择一个商品</translation>
    </message>
    <message>
        <source>Choose a supplier first</source>
        <translation>请先选择供应商</translation>
    </message>
    <message>
        <source>Choose another file…</source>
        <translation>选择其他文件…</translation>
    </message>
    <message>
        <source>Choose the customer first.</source>
        <translation>请先选择客户。</translation>
    </message>
    <message>
        <source>Choose the customer or supplier first.</source>
        <translation>请先选择客户或供应商。</translation>
    </message>
    <message>
        <source>Choose the customer whose account takes the sale</source>
        <translation>请选择挂账的客户</translation>
    </message>
    <message>
        <source>Choose the member who pays with stored value or points</source>
        <translation>请先选择用储值或积分付款的会员</translation>
    </message>
    <message>
        <source>Choose the products to give in-store barcodes</source>
        <translation>请选择要生成店内码的商品</translation>
    </message>
    <message>
        <source>Choose the products to print labels for</source>
        <translation>请选择要打印标签的商品</translation>
    </message>
    <message>
        <source>Choose the purchase note the goods came with</source>
        <translation>请选择这批货的进货单</translation>
    </message>
    <message>
        <source>Choose what comes back: no quantity to return</source>
        <translation>请选择要退的商品：退货数量为零</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Clear cart</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Click to see them in the stock tab</source>
        <translation>点击在库存页查看</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close shift…</source>
        <translation>交班结账…</translation>
    </message>
    <message>
        <source>Close the day</source>
        <translation>日结</translation>
    </message>
    <message>
        <source>Close the shift</source>
        <translation>交班</translation>
    </message>
    <message>
        <source>Close the shift (交班)</source>
        <translation>交班结账</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>交班</translation>
    </message>
    <message>
        <source>Closed: {time}</source>
        <translation>交班：{time}</translation>
    </message>
    <message>
        <source>Closing balance</source>
        <translation>期末余额</translation>
    </message>
    <message>
        <source>Closing balance ({n} entries; debit {debit}, credit {credit})</source>
        <translation>期末余额（{n} 笔；增加 {debit}，减少 {credit}）</translation>
    </message>
    <message>
        <source>Closing balance {amount} on {day}</source>
        <translation>{day} 期末余额 {amount}</translation>
    </message>
    <message>
        <source>Closing stock</source>
        <translation>期末库存</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>货号</translation>
    </message>
    <message>
        <source>Code '{code}' may hold only letters, digits and - _ .</source>
        <translation>货号“{code}”只能包含字母、数字和 - _ .</translation>
    </message>
    <message>
        <source>Code {code} is already used by another product</source>
        <translation>货号 {code} 已被其他商品使用</translation>
    </message>
    <message>
        <source>Code {code} repeats row {other}</source>
        <translation>货号 {code} 与第 {other} 行重复</translation>
    </message>
    <message>
        <source>Collect / pay</source>
        <translation>收款 / 付款</translation>
    </message>
    <message>
        <source>Collection</source>
        <translation>收款</translation>
    </message>
    <message>
        <source>Collection from a customer</source>
        <translation>向客户收款</translation>
    </message>
    <message>
        <source>Collection from a customer (收款)</source>
        <translation>向客户收款（收款单）</translation>
    </message>
    <message>
        <source>Collect…</source>
        <translation>收款…</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Colour code</source>
        <translation>色号</translation>
    </message>
    <message>
        <source>Colour code and name, e.g. 09 雾霾蓝</source>
        <translation>色号和颜色名，例如 09 雾霾蓝</translation>
    </message>
    <message>
        <source>Colour code {code} is given twice</source>
        <translation>色号 {code} 重复了</translation>
    </message>
    <message>
        <source>Colour code {code} must be 1 to {n} letters or digits</source>
        <translation>色号 {code} 必须是 1 到 {n} 个字母或数字</translation>
    </message>
    <message>
        <source>Colour {code} needs a name of at most 30 characters</source>
        <translation>色号 {code} 需要一个不超过 30 个字符的颜色名</translation>
    </message>
    <message>
        <source>Colour {colour} of style {code} has the code {known}, not {given}</source>
        <translation>款式 {code} 的颜色 {colour} 色号是 {known}，不是 {given}</translation>
    </message>
    <message>
        <source>Colour × size of the style…</source>
        <translation>款式色码表…</translation>
    </message>
    <message>
        <source>Colour × size… F6</source>
        <translation>颜色尺码… F6</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Column {name} appears twice in the header row</source>
        <translation>表头中“{name}”列出现了两次</translation>
    </message>
    <message>
        <source>Compare with the previous period and last year</source>
        <translation>对比上期和去年同期（环比/同比）</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Contact: {contact} {phone}</source>
        <translation>联系人：{contact} {phone}</translation>
    </message>
    <message>
        <source>Copied. Paste it somewhere only you can open.</source>
        <translation>已复制。请粘贴到只有您能打开的地方。</translation>
    </message>
    <message>
        <source>Copies this shop file into an EMPTY PostgreSQL database, then checks both and compares their figures. The shop file is not changed. Afterwards start each till with the server's address (--db or JXC_DB).</source>
        <translation>把本店铺文件复制到一个【空的】PostgreSQL 数据库，然后检查两边并核对数字。店铺文件不会被改动。完成后，每台收银机用服务器地址启动（--db 或 JXC_DB）。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Correct (owner)…</source>
        <translation>调整（老板）…</translation>
    </message>
    <message>
        <source>Correct a member's points or stored value</source>
        <translation>调整会员积分或储值</translation>
    </message>
    <message>
        <source>Correct {name}'s points or stored value</source>
        <translation>调整 {name} 的积分或储值</translation>
    </message>
    <message>
        <source>Correction</source>
        <translation>调整</translation>
    </message>
    <message>
        <source>Cost correction</source>
        <translation>成本更正</translation>
    </message>
    <message>
        <source>Cost corrections</source>
        <translation>成本更正</translation>
    </message>
    <message>
        <source>Cost must not be negative</source>
        <translation>成本不能为负数</translation>
    </message>
    <message>
        <source>Cost of goods sold</source>
        <translation>销售成本</translation>
    </message>
    <message>
        <source>Could not check {path}: {reason}</source>
        <translation>无法检查 {path}：{reason}</translation>
    </message>
    <message>
        <source>Could not copy the backup beside the data file: {reason}</source>
        <translation>无法把备份复制到数据文件旁边：{reason}</translation>
    </message>
    <message>
        <source>Could not copy the database into {folder} before upgrading it, so it was not upgraded: {reason}</source>
        <translation>升级前无法把数据库复制到 {folder}，所以没有升级：{reason}</translation>
    </message>
    <message>
        <source>Could not keep a copy of the current file in {path}: {reason}</source>
        <translation>无法在 {path} 中保留当前文件的副本：{reason}</translation>
    </message>
    <message>
        <source>Could not save this till's settings in {path}: {reason}</source>
        <translation>无法把本收银机的设置保存到 {path}：{reason}</translation>
    </message>
    <message>
        <source>Could not save {path}: {reason}</source>
        <translation>无法保存 {path}：{reason}</translation>
    </message>
    <message>
        <source>Could not write the backup to {path}: {reason}</source>
        <translation>无法把备份写到 {path}：{reason}</translation>
    </message>
    <message>
        <source>Could not write the new database {path}: {reason}</source>
        <translation>无法写入新的数据库 {path}：{reason}</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>盘点</translation>
    </message>
    <message>
        <source>Count differences</source>
        <translation>盘点差异</translation>
    </message>
    <message>
        <source>Count gain</source>
        <translation>盘盈</translation>
    </message>
    <message>
        <source>Count gains</source>
        <translation>盘盈</translation>
    </message>
    <message>
        <source>Count loss</source>
        <translation>盘亏</translation>
    </message>
    <message>
        <source>Count losses</source>
        <translation>盘亏</translation>
    </message>
    <message>
        <source>Count sheet</source>
        <translation>盘点表</translation>
    </message>
    <message>
        <source>Count the cash in the drawer first</source>
        <translation>请先清点钱箱现金</translation>
    </message>
    <message>
        <source>Count the shelves</source>
        <translation>盘点货架</translation>
    </message>
    <message>
        <source>Count the {n} uncounted lines as ZERO (their whole stock is written off)</source>
        <translation>{n} 个未盘行按零处理（其库存全部核销）</translation>
    </message>
    <message>
        <source>Count variance report</source>
        <translation>盘点差异报告</translation>
    </message>
    <message>
        <source>Count {code} by colour and size</source>
        <translation>按颜色尺码盘点：{code}</translation>
    </message>
    <message>
        <source>Count {number} is already posted</source>
        <translation>盘点单 {number} 已经过账</translation>
    </message>
    <message>
        <source>Count {number} was cancelled; it can no longer be changed</source>
        <translation>盘点单 {number} 已作废，不能再修改</translation>
    </message>
    <message>
        <source>Count:</source>
        <translation>盘点单：</translation>
    </message>
    <message>
        <source>Counted</source>
        <translation>实盘</translation>
    </message>
    <message>
        <source>Counted at</source>
        <translation>盘点时间</translation>
    </message>
    <message>
        <source>Counted at:</source>
        <translation>盘点时间：</translation>
    </message>
    <message>
        <source>Counted by</source>
        <translation>盘点人</translation>
    </message>
    <message>
        <source>Counted by denomination</source>
        <translation>按面额清点</translation>
    </message>
    <message>
        <source>Counted in all:</source>
        <translation>实点合计：</translation>
    </message>
    <message>
        <source>Counted qty</source>
        <translation>实盘数量</translation>
    </message>
    <message>
        <source>Counted {counted} of {lines} lines.
Gain: {gain_lines} lines, {gain_qty} units, {gain_value}
Loss: {loss_lines} lines, {loss_qty} units, {loss_value}
Posting writes these differences to stock and closes the count.</source>
        <translation>已盘 {counted} / {lines} 行。
盘盈：{gain_lines} 行，数量 {gain_qty}，金额 {gain_value}
盘亏：{loss_lines} 行，数量 {loss_qty}，金额 {loss_value}
过账会把这些差异计入库存并关闭盘点单。</translation>
    </message>
    <message>
        <source>Counted {counted}/{lines} · Gain {gain_lines} lines {gain_value} · Loss {loss_lines} lines {loss_value} · Net {net}</source>
        <translation>已盘 {counted}/{lines} · 盘盈 {gain_lines} 行 {gain_value} · 盘亏 {loss_lines} 行 {loss_value} · 净额 {net}</translation>
    </message>
    <message>
        <source>Counted {counted}/{lines} · Gain {gain_lines} lines · Loss {loss_lines} lines</source>
        <translation>已盘 {counted}/{lines} · 盘盈 {gain_lines} 行 · 盘亏 {loss_lines} 行</translation>
    </message>
    <message>
        <source>Cover</source>
        <translation>补货天数</translation>
    </message>
    <message>
        <source>Cover days must be between 1 and 365</source>
        <translation>补货天数必须在 1 到 365 之间</translation>
    </message>
    <message>
        <source>Creating the database failed and nothing was written: {reason}</source>
        <translation>创建数据库失败，没有写入任何内容：{reason}</translation>
    </message>
    <message>
        <source>Creating the database failed: {reason}</source>
        <translation>创建数据文件失败：{reason}</translation>
    </message>
    <message>
        <source>Credit</source>
        <translation>减少</translation>
    </message>
    <message>
        <source>Credit limit</source>
        <translation>信用额度</translation>
    </message>
    <message>
        <source>Cumulative share</source>
        <translation>累计占比</translation>
    </message>
    <message>
        <source>Current PIN:</source>
        <translation>当前密码：</translation>
    </message>
    <message>
        <source>Custom dates</source>
        <translation>自定义日期</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Customer name</source>
        <translation>客户名称</translation>
    </message>
    <message>
        <source>Customer return</source>
        <translation>顾客退货</translation>
    </message>
    <message>
        <source>Customer {id} does not exist</source>
        <translation>客户 {id} 不存在</translation>
    </message>
    <message>
        <source>Customer {name} is deactivated</source>
        <translation>客户 {name} 已停用</translation>
    </message>
    <message>
        <source>Customer: name, phone or pinyin initials</source>
        <translation>客户：名称、电话或拼音首字母</translation>
    </message>
    <message>
        <source>Customer: {name}</source>
        <translation>客户：{name}</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <source>Customers owe the shop (应收)</source>
        <translation>客户欠款（应收）</translation>
    </message>
    <message>
        <source>DIFFERS</source>
        <translation>不一致</translation>
    </message>
    <message>
        <source>DRAFT: not posted, stock unchanged</source>
        <translation>草稿：未入库，库存未变</translation>
    </message>
    <message>
        <source>Daily from / to</source>
        <translation>每日时段（起 / 止）</translation>
    </message>
    <message>
        <source>Damaged</source>
        <translation>已损坏</translation>
    </message>
    <message>
        <source>Data file: {path}</source>
        <translation>数据文件：{path}</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Date: {day}</source>
        <translation>日期：{day}</translation>
    </message>
    <message>
        <source>Dates must lie between the years {lo} and {hi}</source>
        <translation>日期必须在 {lo} 年到 {hi} 年之间</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Day: {day}</source>
        <translation>日期：{day}</translation>
    </message>
    <message>
        <source>Days left</source>
        <translation>剩余天数</translation>
    </message>
    <message>
        <source>Days must be a whole number from {lo} to {hi}</source>
        <translation>天数必须是 {lo} 到 {hi} 之间的整数</translation>
    </message>
    <message>
        <source>Days of cover</source>
        <translation>可售天数</translation>
    </message>
    <message>
        <source>Days of inventory</source>
        <translation>库存天数</translation>
    </message>
    <message>
        <source>Days without sale</source>
        <translation>未售天数</translation>
    </message>
    <message>
        <source>Days:</source>
        <translation>天数：</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <source>Deal</source>
        <translation>优惠内容</translation>
    </message>
    <message>
        <source>Debit</source>
        <translation>增加</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete a held sale</source>
        <translation>删除挂单</translation>
    </message>
    <message>
        <source>Delete draft</source>
        <translation>删除草稿</translation>
    </message>
    <message>
        <source>Delete line</source>
        <translation>删除行</translation>
    </message>
    <message>
        <source>Delivered by</source>
        <translation>送货人</translation>
    </message>
    <message>
        <source>Demo shop created: {products} products, {suppliers} suppliers, {days} days of history from {first}</source>
        <translation>示例店铺已创建：{products} 个商品，{suppliers} 个供应商，自 {first} 起 {days} 天的历史</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <source>Differences only</source>
        <translation>仅看差异</translation>
    </message>
    <message>
        <source>Digits</source>
        <translation>位数</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>优惠</translation>
    </message>
    <message>
        <source>Discount given</source>
        <translation>促销让利</translation>
    </message>
    <message>
        <source>Discount is not an amount of money</source>
        <translation>折扣不是有效的金额</translation>
    </message>
    <message>
        <source>Discount on the note</source>
        <translation>整单优惠</translation>
    </message>
    <message>
        <source>Discount on the whole sale ({amount}): yuan off, or a percentage like 5%</source>
        <translation>整单（{amount}）优惠：输入减免金额（元），或百分比如 5%</translation>
    </message>
    <message>
        <source>Discount on {name} ({amount}): yuan off, or a percentage like 10%</source>
        <translation>{name}（{amount}）的优惠：输入减免金额（元），或百分比如 10%</translation>
    </message>
    <message>
        <source>Discount: {amount}</source>
        <translation>优惠：{amount}</translation>
    </message>
    <message>
        <source>Discounts</source>
        <translation>折扣</translation>
    </message>
    <message>
        <source>Discounts given</source>
        <translation>优惠合计</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>单据</translation>
    </message>
    <message>
        <source>Document {number} cannot be opened from here</source>
        <translation>单据 {number} 无法在此打开</translation>
    </message>
    <message>
        <source>Double-click to open {number}</source>
        <translation>双击打开 {number}</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Draft saved: it stays here after a restart, under History → Drafts.</source>
        <translation>草稿已保存：重启后仍在“历史单据 → 草稿”中。</translation>
    </message>
    <message>
        <source>Draft {number}</source>
        <translation>草稿 {number}</translation>
    </message>
    <message>
        <source>Drafts</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期日</translation>
    </message>
    <message>
        <source>END OF DAY SUMMARY</source>
        <translation>日结单</translation>
    </message>
    <message>
        <source>Each line's difference is taken against the stock at the time it was counted, so sales after the scan are not counted as gains.</source>
        <translation>每行的差异按盘点当时的账面库存计算，扫描之后的销售不会算作盘盈。</translation>
    </message>
    <message>
        <source>Earned</source>
        <translation>消费得分</translation>
    </message>
    <message>
        <source>Earning points</source>
        <translation>消费积分</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Edit customer</source>
        <translation>编辑客户</translation>
    </message>
    <message>
        <source>Edit level…</source>
        <translation>编辑等级…</translation>
    </message>
    <message>
        <source>Edit member</source>
        <translation>编辑会员</translation>
    </message>
    <message>
        <source>Edit member level</source>
        <translation>编辑会员等级</translation>
    </message>
    <message>
        <source>Edit product</source>
        <translation>修改商品</translation>
    </message>
    <message>
        <source>Edit promotion</source>
        <translation>编辑促销</translation>
    </message>
    <message>
        <source>Edit supplier</source>
        <translation>编辑供应商</translation>
    </message>
    <message>
        <source>Edit the chosen product</source>
        <translation>修改选中的商品</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Empty: does not expire</source>
        <translation>留空：无保质期</translation>
    </message>
    <message>
        <source>Empty: next free number</source>
        <translation>留空：自动编号</translation>
    </message>
    <message>
        <source>Empty: the member level's discount</source>
        <translation>留空：按会员等级折扣</translation>
    </message>
    <message>
        <source>Empty: the purchase price</source>
        <translation>留空：按进价</translation>
    </message>
    <message>
        <source>Empty: the sale price</source>
        <translation>留空：按零售价</translation>
    </message>
    <message>
        <source>End now</source>
        <translation>立即结束</translation>
    </message>
    <message>
        <source>End of day</source>
        <translation>日结</translation>
    </message>
    <message>
        <source>End of {day}</source>
        <translation>{day} 日终</translation>
    </message>
    <message>
        <source>End promotion</source>
        <translation>结束促销</translation>
    </message>
    <message>
        <source>End {name} now?</source>
        <translation>现在结束“{name}”吗？</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>已结束</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Enter in the customer line: choose    Enter: put on account    Esc: back to the cart</source>
        <translation>在客户栏按回车：选定客户    回车：挂账    Esc：返回购物车</translation>
    </message>
    <message>
        <source>Enter the products</source>
        <translation>录入商品</translation>
    </message>
    <message>
        <source>Enter the quantity to return on at least one line</source>
        <translation>请至少在一行填写退货数量</translation>
    </message>
    <message>
        <source>Enter: OK    Esc: cancel</source>
        <translation>回车：确定    Esc：取消</translation>
    </message>
    <message>
        <source>Enter: find / choose    ↑↓: move in the list    Esc: back to the cart</source>
        <translation>回车：查找/选择    ↑↓：在列表中移动    Esc：返回购物车</translation>
    </message>
    <message>
        <source>Enter: pay    F2/F3/F4: all by WeChat/Alipay/card    Esc: back to the cart</source>
        <translation>回车：结账    F2/F3/F4：全部用微信/支付宝/银行卡    Esc：返回购物车</translation>
    </message>
    <message>
        <source>Enter: resume    Delete: discard    Esc: close</source>
        <translation>回车：取单    Delete：删除    Esc：关闭</translation>
    </message>
    <message>
        <source>Every N-th item</source>
        <translation>每第N件</translation>
    </message>
    <message>
        <source>Every row has its scan time ({first} – {last}); each line is counted at its own.</source>
        <translation>每一行都有扫描时间（{first} – {last}），各行按各自的时间盘点。</translation>
    </message>
    <message>
        <source>Everywhere</source>
        <translation>所有页面</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV file (*.csv)</source>
        <translation>Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>账存</translation>
    </message>
    <message>
        <source>Expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>Expired batches may not be sold</source>
        <translation>禁止销售过期批次</translation>
    </message>
    <message>
        <source>Expired or expiring within {days} days of {day}</source>
        <translation>截至 {day} 已过期或 {days} 天内到期</translation>
    </message>
    <message>
        <source>Expiring soon</source>
        <translation>即将过期</translation>
    </message>
    <message>
        <source>Expiring within / no movement for this many days</source>
        <translation>在这么多天内到期 / 这么多天没有出入库</translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Expiry date</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <source>Expiry warning</source>
        <translation>效期预警</translation>
    </message>
    <message>
        <source>Export Excel</source>
        <translation>导出 Excel</translation>
    </message>
    <message>
        <source>Export Excel…</source>
        <translation>导出 Excel…</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>导出 PDF</translation>
    </message>
    <message>
        <source>Export PDF…</source>
        <translation>导出 PDF…</translation>
    </message>
    <message>
        <source>Export products</source>
        <translation>导出商品</translation>
    </message>
    <message>
        <source>Export products…</source>
        <translation>导出商品…</translation>
    </message>
    <message>
        <source>Export the products that can still be read</source>
        <translation>导出仍能读取的商品</translation>
    </message>
    <message>
        <source>Export the products that can still be read…</source>
        <translation>导出仍能读取的商品…</translation>
    </message>
    <message>
        <source>Exported</source>
        <translation>已导出</translation>
    </message>
    <message>
        <source>Exported to {path}</source>
        <translation>已导出到 {path}</translation>
    </message>
    <message>
        <source>Exporting products…</source>
        <translation>正在导出商品…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>F8 holds the cart with a note while the customer fetches something; F9 brings it back. F10 takes a return by the number on the receipt.</source>
        <translation>顾客临时去拿东西时，F8 挂单并写上备注；F9 取回。F10 按小票上的单号办理退货。</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>File is fine, nothing written: {created} new, {updated} to update</source>
        <translation>文件检查无误，未写入：新增 {created} 个，更新 {updated} 个</translation>
    </message>
    <message>
        <source>File not found: {path}</source>
        <translation>找不到文件：{path}</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Fill in a new in-store EAN-13 code (20–29) for goods without a barcode</source>
        <translation>为没有条码的商品填入一个新的店内码（EAN-13，以 20–29 开头）</translation>
    </message>
    <message>
        <source>Finish or hold the sale in the cart first.</source>
        <translation>请先结账或挂起购物车里的这单。</translation>
    </message>
    <message>
        <source>Finish, hold (F8) or clear (F7) the current cart first</source>
        <translation>请先结账、挂单（F8）或清空（F7）当前购物车</translation>
    </message>
    <message>
        <source>Float</source>
        <translation>备用金</translation>
    </message>
    <message>
        <source>Float in the drawer (备用金):</source>
        <translation>钱箱备用金：</translation>
    </message>
    <message>
        <source>Float left</source>
        <translation>留存备用金</translation>
    </message>
    <message>
        <source>Float left for the next shift:</source>
        <translation>留给下一班的备用金：</translation>
    </message>
    <message>
        <source>Float left in the drawer</source>
        <translation>留存备用金</translation>
    </message>
    <message>
        <source>Folder for the daily backups</source>
        <translation>每日备份存放的文件夹</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Footer</source>
        <translation>结尾</translation>
    </message>
    <message>
        <source>Forecast</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Forecast = the last 4 weeks' level ({level} a week, deseasonalised) × the season index of each week (last year's same week ÷ last year's average week; from {source}) × trend {trend} % a week. Weekdays: {shape}. Spread of a week: {spread}.</source>
        <translation>预测 = 近 4 周水平（去季节后每周 {level}）× 各周季节指数（去年同周 ÷ 去年平均周；来自{source}）× 趋势 每周 {trend}%。星期系数：{shape}。每周波动：{spread}。</translation>
    </message>
    <message>
        <source>Forecast sales over the supplier's lead time + the cover days, plus a safety stock; within minimum and maximum, in whole packs. Double-click a product for its forecast.</source>
        <translation>按预测销量覆盖供应商到货天数 + 备货天数，再加安全库存；不低于最低、不超过最高库存，按整箱取整。双击商品查看其预测。</translation>
    </message>
    <message>
        <source>Forecast weeks must be 1 to {limit}</source>
        <translation>预测周数必须在 1 到 {limit} 之间</translation>
    </message>
    <message>
        <source>Forecast {need} over {days} days (lead time {lead} + cover {cover}), safety {safety}, season ×{index}</source>
        <translation>预测 {days} 天（到货 {lead} 天 + 备货 {cover} 天）销量 {need}，安全库存 {safety}，季节系数 ×{index}</translation>
    </message>
    <message>
        <source>Forecast…</source>
        <translation>销量预测…</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>周五</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>从：</translation>
    </message>
    <message>
        <source>Gain (盘盈)</source>
        <translation>盘盈</translation>
    </message>
    <message>
        <source>Gain quantity</source>
        <translation>盘盈数量</translation>
    </message>
    <message>
        <source>Gain value</source>
        <translation>盘盈金额</translation>
    </message>
    <message>
        <source>Generated {time}</source>
        <translation>生成于 {time}</translation>
    </message>
    <message>
        <source>Give --points or --value</source>
        <translation>请给出 --points 或 --value</translation>
    </message>
    <message>
        <source>Give either --period or --from/--to, not both</source>
        <translation>请只给出 --period 或 --from/--to 其中之一</translation>
    </message>
    <message>
        <source>Give either --top or --bottom, not both</source>
        <translation>请只给出 --top 或 --bottom 其中之一</translation>
    </message>
    <message>
        <source>Give the USB printer's vendor:product, such as 0416:5011</source>
        <translation>请填写 USB 打印机的 厂商号:产品号，例如 0416:5011</translation>
    </message>
    <message>
        <source>Give the network printer's host:port, such as 192.168.1.50:9100</source>
        <translation>请填写网络打印机的 地址:端口，例如 192.168.1.50:9100</translation>
    </message>
    <message>
        <source>Give the new PIN with --new-pin-file FILE</source>
        <translation>请用 --new-pin-file 文件 提供新密码</translation>
    </message>
    <message>
        <source>Give the serial port of the printer, such as COM3 or /dev/ttyUSB0</source>
        <translation>请填写打印机的串口，例如 COM3 或 /dev/ttyUSB0</translation>
    </message>
    <message>
        <source>Give the server database as postgresql://user:password@host/database</source>
        <translation>请按 postgresql://用户:密码@主机/数据库 填写服务器数据库</translation>
    </message>
    <message>
        <source>Given back by a return</source>
        <translation>退货退回</translation>
    </message>
    <message>
        <source>Goods</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Goods can be returned only against a posted purchase</source>
        <translation>只能对已入库的进货单退货</translation>
    </message>
    <message>
        <source>Goods leave at the current average cost.</source>
        <translation>按当前移动平均成本出库。</translation>
    </message>
    <message>
        <source>Goods leave at the current average cost. Leave the batch empty to take the one expiring first.</source>
        <translation>按当前移动平均成本出库。批号留空则先出最早到期的批次。</translation>
    </message>
    <message>
        <source>Grid entry</source>
        <translation>按颜色尺码录入</translation>
    </message>
    <message>
        <source>Gross profit</source>
        <translation>毛利</translation>
    </message>
    <message>
        <source>Gross profit without it</source>
        <translation>无促销时毛利</translation>
    </message>
    <message>
        <source>Gross profit, last 12 months</source>
        <translation>近 12 个月毛利</translation>
    </message>
    <message>
        <source>Group by one of {levels}</source>
        <translation>请按以下之一分组：{levels}</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>抬头</translation>
    </message>
    <message>
        <source>Held sale resumed</source>
        <translation>已取回挂单</translation>
    </message>
    <message>
        <source>Held sale {id} no longer exists</source>
        <translation>挂单 {id} 已不存在</translation>
    </message>
    <message>
        <source>Held sales</source>
        <translation>挂单</translation>
    </message>
    <message>
        <source>Held sales: {n} (F9)</source>
        <translation>挂单：{n} 笔（F9）</translation>
    </message>
    <message>
        <source>Held when the program closed</source>
        <translation>退出程序时自动挂单</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>帮助</translation>
    </message>
    <message>
        <source>History</source>
        <translation>历史单据</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>挂单</translation>
    </message>
    <message>
        <source>Hold a sale, take returns</source>
        <translation>挂单与退货</translation>
    </message>
    <message>
        <source>Hold sale</source>
        <translation>挂单</translation>
    </message>
    <message>
        <source>Hour</source>
        <translation>时段</translation>
    </message>
    <message>
        <source>I have kept the code</source>
        <translation>我已保存恢复码</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Import a product list (Excel or CSV)</source>
        <translation>导入商品清单（Excel 或 CSV）</translation>
    </message>
    <message>
        <source>Import collector file</source>
        <translation>导入盘点机文件</translation>
    </message>
    <message>
        <source>Import collector file…</source>
        <translation>导入盘点机文件…</translation>
    </message>
    <message>
        <source>Import delivery note</source>
        <translation>导入送货单</translation>
    </message>
    <message>
        <source>Import delivery note…</source>
        <translation>导入送货单…</translation>
    </message>
    <message>
        <source>Import finished: {added} new, {updated} updated.</source>
        <translation>导入完成：新增 {added} 个，更新 {updated} 个。</translation>
    </message>
    <message>
        <source>Import products</source>
        <translation>导入商品</translation>
    </message>
    <message>
        <source>Import products…</source>
        <translation>导入商品…</translation>
    </message>
    <message>
        <source>Import refused</source>
        <translation>导入被拒绝</translation>
    </message>
    <message>
        <source>Imported from {file}</source>
        <translation>导入自 {file}</translation>
    </message>
    <message>
        <source>Imported {count} promotions</source>
        <translation>已导入 {count} 个促销</translation>
    </message>
    <message>
        <source>Imported {rows} rows into {lines} lines ({qty} units)</source>
        <translation>已导入 {rows} 行，计入 {lines} 个商品行（共 {qty}）</translation>
    </message>
    <message>
        <source>Imported: {created} new, {updated} updated</source>
        <translation>导入完成：新增 {created} 个，更新 {updated} 个</translation>
    </message>
    <message>
        <source>Importing products…</source>
        <translation>正在导入商品…</translation>
    </message>
    <message>
        <source>Importing the collector file…</source>
        <translation>正在导入盘点机文件…</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>In capitals: {words}    On account: {credit}</source>
        <translation>大写：{words}    挂账：{credit}</translation>
    </message>
    <message>
        <source>In the pay window</source>
        <translation>收款窗口中</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>在用</translation>
    </message>
    <message>
        <source>In-store barcode</source>
        <translation>生成店内码</translation>
    </message>
    <message>
        <source>In-store barcodes</source>
        <translation>店内码</translation>
    </message>
    <message>
        <source>Inactive: hidden from sale and search</source>
        <translation>已停用：不能销售，也不出现在搜索中</translation>
    </message>
    <message>
        <source>Item and weight/price need at least one digit each</source>
        <translation>货号和重量/金额至少各需 1 位</translation>
    </message>
    <message>
        <source>Item digits</source>
        <translation>货号位数</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>件数</translation>
    </message>
    <message>
        <source>Items: {qty}   Lines: {lines}</source>
        <translation>件数：{qty}   行数：{lines}</translation>
    </message>
    <message>
        <source>Its barcodes belong to different products ({codes})</source>
        <translation>这一行的条码属于不同的商品（{codes}）</translation>
    </message>
    <message>
        <source>JXC Desktop</source>
        <translation>进销存</translation>
    </message>
    <message>
        <source>JXC Desktop is already open</source>
        <translation>进销存已经打开</translation>
    </message>
    <message>
        <source>JXC Desktop is already open on {path}.

Switch to that window (see the task bar) instead of opening a second copy.</source>
        <translation>进销存已经在使用数据文件 {path}。

请切换到已打开的窗口（见任务栏），不要再打开第二个。</translation>
    </message>
    <message>
        <source>JXC data (*.sqlite3 *.db);;All files (*)</source>
        <translation>进销存数据 (*.sqlite3 *.db);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Joined</source>
        <translation>入会日期</translation>
    </message>
    <message>
        <source>Keep at least one member level in use</source>
        <translation>至少保留一个在用的会员等级</translation>
    </message>
    <message>
        <source>Keep the {n} uncounted lines as they are in the books</source>
        <translation>{n} 个未盘行保持账面数量不变</translation>
    </message>
    <message>
        <source>Keep this code somewhere safe, away from the till (print it or write it down). If you forget the PIN, it removes the PIN: jxc pin reset --recovery-code-file FILE.
It is shown only now; setting a new PIN gives a new code.</source>
        <translation>请把这个恢复码保存在收银台以外的安全地方（打印或抄下来）。忘记老板密码时，用它可以清除密码：jxc pin reset --recovery-code-file 文件。
恢复码只显示这一次；重新设置密码会得到新的恢复码。</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Label kind</source>
        <translation>标签类型</translation>
    </message>
    <message>
        <source>Label size</source>
        <translation>标签尺寸</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Labels are printed for a posted purchase note; {number} is not one</source>
        <translation>只能为已过账的进货单打印标签；{number} 不是</translation>
    </message>
    <message>
        <source>Labels for price changes</source>
        <translation>调价标签</translation>
    </message>
    <message>
        <source>Labels for price changes since {day}</source>
        <translation>{day} 以来的调价标签</translation>
    </message>
    <message>
        <source>Labels for price changes…</source>
        <translation>为调价商品打印标签…</translation>
    </message>
    <message>
        <source>Labels for the style…</source>
        <translation>本款标签…</translation>
    </message>
    <message>
        <source>Labels for {code}</source>
        <translation>{code} 的标签</translation>
    </message>
    <message>
        <source>Labels for {number}</source>
        <translation>{number} 的标签</translation>
    </message>
    <message>
        <source>Labels printed by the scale start with 2; the first rule that fits a label wins.</source>
        <translation>电子秤打印的条码以 2 开头；按顺序使用第一条符合的规则。</translation>
    </message>
    <message>
        <source>Labels…</source>
        <translation>打印标签…</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Largest line discount</source>
        <translation>单品最大优惠</translation>
    </message>
    <message>
        <source>Largest whole-sale discount</source>
        <translation>整单最大优惠</translation>
    </message>
    <message>
        <source>Last 28 days' average</source>
        <translation>近 28 天平均</translation>
    </message>
    <message>
        <source>Last backup: {when}</source>
        <translation>上次备份：{when}</translation>
    </message>
    <message>
        <source>Last month</source>
        <translation>上月</translation>
    </message>
    <message>
        <source>Last purchase</source>
        <translation>最近进货</translation>
    </message>
    <message>
        <source>Last sale</source>
        <translation>最后销售</translation>
    </message>
    <message>
        <source>Last sale {number}: {total}</source>
        <translation>上一单 {number}：{total}</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>最近消费</translation>
    </message>
    <message>
        <source>Lead time</source>
        <translation>到货天数</translation>
    </message>
    <message>
        <source>Lead time must be a whole number of days from 0 to {limit}</source>
        <translation>到货天数必须是 0 到 {limit} 之间的整数</translation>
    </message>
    <message>
        <source>Lead time of a supplier without one</source>
        <translation>供应商未填时的到货天数</translation>
    </message>
    <message>
        <source>Leave the new PIN empty to turn the PIN off.</source>
        <translation>新密码留空即关闭老板密码。</translation>
    </message>
    <message>
        <source>Ledger</source>
        <translation>流水账</translation>
    </message>
    <message>
        <source>Ledger of {name}</source>
        <translation>{name} 的流水账</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>尚有</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <source>Level name</source>
        <translation>等级名称</translation>
    </message>
    <message>
        <source>Level price %</source>
        <translation>等级价格 %</translation>
    </message>
    <message>
        <source>Line discount</source>
        <translation>单品优惠</translation>
    </message>
    <message>
        <source>Line discount limit (%)</source>
        <translation>单行优惠上限（%）</translation>
    </message>
    <message>
        <source>Line {id} is not in this count</source>
        <translation>第 {id} 行不在本盘点单中</translation>
    </message>
    <message>
        <source>Line {line} is not part of sale {number}</source>
        <translation>第 {line} 行不属于销售单 {number}</translation>
    </message>
    <message>
        <source>Line {line} of the file is longer than {limit} characters</source>
        <translation>文件第 {line} 行超过 {limit} 个字符</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Lines at a special price or in a quantity deal earn points too</source>
        <translation>特价、买N付M、第N件商品也积分（满减不影响积分）</translation>
    </message>
    <message>
        <source>Load a sale by its receipt number first</source>
        <translation>请先输入小票号调出销售单</translation>
    </message>
    <message>
        <source>Load demo data to try the program</source>
        <translation>载入演示数据试用本程序</translation>
    </message>
    <message>
        <source>Loading demo data…</source>
        <translation>正在载入演示数据…</translation>
    </message>
    <message>
        <source>Lock now (owner PIN needed again)</source>
        <translation>立即锁定（需再次输入老板密码）</translation>
    </message>
    <message>
        <source>Lock: the owner PIN is needed again</source>
        <translation>锁定：再次需要老板密码</translation>
    </message>
    <message>
        <source>Login number {number} is taken</source>
        <translation>工号 {number} 已被占用</translation>
    </message>
    <message>
        <source>Login number:</source>
        <translation>工号：</translation>
    </message>
    <message>
        <source>Loose</source>
        <translation>散装数</translation>
    </message>
    <message>
        <source>Loss (盘亏)</source>
        <translation>盘亏</translation>
    </message>
    <message>
        <source>Loss quantity</source>
        <translation>盘亏数量</translation>
    </message>
    <message>
        <source>Loss value</source>
        <translation>盘亏金额</translation>
    </message>
    <message>
        <source>Made</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Made at</source>
        <translation>备份时间</translation>
    </message>
    <message>
        <source>Made from the name</source>
        <translation>根据名称自动生成</translation>
    </message>
    <message>
        <source>Make a draft note for the selected supplier</source>
        <translation>为所选供应商生成进货草稿</translation>
    </message>
    <message>
        <source>Make in-store barcodes for the chosen products</source>
        <translation>为所选商品生成店内码</translation>
    </message>
    <message>
        <source>Manage the staff</source>
        <translation>管理员工</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>负责人</translation>
    </message>
    <message>
        <source>Margin</source>
        <translation>毛利率</translation>
    </message>
    <message>
        <source>Margin without it</source>
        <translation>无促销时毛利率</translation>
    </message>
    <message>
        <source>Max</source>
        <translation>上限</translation>
    </message>
    <message>
        <source>Maximum</source>
        <translation>上限</translation>
    </message>
    <message>
        <source>Maximum stock</source>
        <translation>最高库存</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>会员价</translation>
    </message>
    <message>
        <source>Member (Ctrl+M)</source>
        <translation>会员（Ctrl+M）</translation>
    </message>
    <message>
        <source>Member (会员)</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>Member added</source>
        <translation>新增会员</translation>
    </message>
    <message>
        <source>Member changed</source>
        <translation>修改会员</translation>
    </message>
    <message>
        <source>Member level saved</source>
        <translation>保存会员等级</translation>
    </message>
    <message>
        <source>Member level {id} does not exist</source>
        <translation>会员等级 {id} 不存在</translation>
    </message>
    <message>
        <source>Member levels</source>
        <translation>会员等级</translation>
    </message>
    <message>
        <source>Member name</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>Member price</source>
        <translation>会员价</translation>
    </message>
    <message>
        <source>Member price (¥)</source>
        <translation>会员价（¥）</translation>
    </message>
    <message>
        <source>Member prices need the member: choose the member again or sell at retail</source>
        <translation>会员价需要会员：请重新选择会员，或按零售价销售</translation>
    </message>
    <message>
        <source>Member prices save {amount}</source>
        <translation>会员价已省 {amount}</translation>
    </message>
    <message>
        <source>Member prices saved</source>
        <translation>会员价共省</translation>
    </message>
    <message>
        <source>Member sales</source>
        <translation>会员消费</translation>
    </message>
    <message>
        <source>Member sales (会员消费)</source>
        <translation>会员消费</translation>
    </message>
    <message>
        <source>Member {id} does not exist</source>
        <translation>会员 {id} 不存在</translation>
    </message>
    <message>
        <source>Member {name} ({level})</source>
        <translation>会员 {name}（{level}）</translation>
    </message>
    <message>
        <source>Member: {level}</source>
        <translation>会员：{level}</translation>
    </message>
    <message>
        <source>Member: {name}  {level}</source>
        <translation>会员：{name}  {level}</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>会员数</translation>
    </message>
    <message>
        <source>Members (会员)</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>Members only</source>
        <translation>仅限会员</translation>
    </message>
    <message>
        <source>Members' points</source>
        <translation>会员积分余额</translation>
    </message>
    <message>
        <source>Members' share of the period's sales: {pct}%</source>
        <translation>会员消费占本期销售额：{pct}%</translation>
    </message>
    <message>
        <source>Members' stored value</source>
        <translation>会员储值余额</translation>
    </message>
    <message>
        <source>Members: points and stored value</source>
        <translation>会员：积分与储值</translation>
    </message>
    <message>
        <source>Membership</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>Min</source>
        <translation>下限</translation>
    </message>
    <message>
        <source>Minimum</source>
        <translation>下限</translation>
    </message>
    <message>
        <source>Minimum stock</source>
        <translation>最低库存</translation>
    </message>
    <message>
        <source>Minimum stock is above maximum stock</source>
        <translation>最低库存高于最高库存</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>周一</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>月份</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>迁移</translation>
    </message>
    <message>
        <source>Move to a server</source>
        <translation>迁移到服务器</translation>
    </message>
    <message>
        <source>Move to a server…</source>
        <translation>迁移到服务器…</translation>
    </message>
    <message>
        <source>Moved {rows} rows in {seconds:.0f} s; both checks are clean and every figure agrees. Start each till with this server database.</source>
        <translation>已迁移 {rows} 行，用时 {seconds:.0f} 秒；两边检查均无问题，各项数字完全一致。请让每台收银机使用这个服务器数据库启动。</translation>
    </message>
    <message>
        <source>Moving the shop to the server…</source>
        <translation>正在把店铺迁移到服务器…</translation>
    </message>
    <message>
        <source>Moving…</source>
        <translation>正在迁移…</translation>
    </message>
    <message>
        <source>N must be a whole number from {lo} to {hi}</source>
        <translation>N 必须是 {lo} 到 {hi} 之间的整数</translation>
    </message>
    <message>
        <source>N-th item at X %</source>
        <translation>第N件X%（第二件半价）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Name *</source>
        <translation>名称 *</translation>
    </message>
    <message>
        <source>Name at least one product code</source>
        <translation>请至少给出一个货号</translation>
    </message>
    <message>
        <source>Name the products or categories the promotion is for</source>
        <translation>请指定促销适用的商品或分类</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>姓名：</translation>
    </message>
    <message>
        <source>Negative stock</source>
        <translation>负库存</translation>
    </message>
    <message>
        <source>Net</source>
        <translation>净额</translation>
    </message>
    <message>
        <source>Net profit</source>
        <translation>净利润</translation>
    </message>
    <message>
        <source>Net purchases</source>
        <translation>采购净额</translation>
    </message>
    <message>
        <source>Net sales</source>
        <translation>净销售额</translation>
    </message>
    <message>
        <source>Net sales (sales − customer returns) per calendar month; last year = {first} – {last}.</source>
        <translation>每个自然月的净销售额（销售 − 顾客退货）；去年同期 = {first} – {last}。</translation>
    </message>
    <message>
        <source>Net sales, last 12 months</source>
        <translation>近 12 个月净销售额</translation>
    </message>
    <message>
        <source>Net takings: {amount}</source>
        <translation>净收款：{amount}</translation>
    </message>
    <message>
        <source>Network printer</source>
        <translation>网络打印机</translation>
    </message>
    <message>
        <source>New PIN again:</source>
        <translation>再输一次新密码：</translation>
    </message>
    <message>
        <source>New PIN for the selected cashier</source>
        <translation>为所选收银员设新密码</translation>
    </message>
    <message>
        <source>New PIN:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <source>New category</source>
        <translation>新建分类</translation>
    </message>
    <message>
        <source>New category…</source>
        <translation>新建分类…</translation>
    </message>
    <message>
        <source>New count…</source>
        <translation>新建盘点…</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>新增客户</translation>
    </message>
    <message>
        <source>New customer…</source>
        <translation>新增客户…</translation>
    </message>
    <message>
        <source>New level…</source>
        <translation>新建等级…</translation>
    </message>
    <message>
        <source>New member</source>
        <translation>新会员</translation>
    </message>
    <message>
        <source>New member level</source>
        <translation>新建会员等级</translation>
    </message>
    <message>
        <source>New member…</source>
        <translation>新会员…</translation>
    </message>
    <message>
        <source>New note</source>
        <translation>新单据</translation>
    </message>
    <message>
        <source>New product</source>
        <translation>新增商品</translation>
    </message>
    <message>
        <source>New product (Ctrl+N)</source>
        <translation>新增商品 (Ctrl+N)</translation>
    </message>
    <message>
        <source>New promotion</source>
        <translation>新建促销</translation>
    </message>
    <message>
        <source>New purchase note</source>
        <translation>新建进货单</translation>
    </message>
    <message>
        <source>New stock count</source>
        <translation>新建盘点单</translation>
    </message>
    <message>
        <source>New style</source>
        <translation>新建款式</translation>
    </message>
    <message>
        <source>New style…</source>
        <translation>新建款式…</translation>
    </message>
    <message>
        <source>New supplier</source>
        <translation>新建供应商</translation>
    </message>
    <message>
        <source>New supplier…</source>
        <translation>新建供应商…</translation>
    </message>
    <message>
        <source>Newest good backup: {when} ({products} products, {sales} sales)
{path}</source>
        <translation>最新的完好备份：{when}（商品 {products} 个，销售 {sales} 笔）
{path}</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>No PIN for cashiers: they pick their name</source>
        <translation>收银员免密码：选姓名签到</translation>
    </message>
    <message>
        <source>No backup of this shop in this folder: the copies listed are of another shop file. Choose a backup file with the button below.</source>
        <translation>此文件夹中没有本店的备份：列出的是其他店铺文件的备份。可用下面的按钮选择备份文件。</translation>
    </message>
    <message>
        <source>No backup yet</source>
        <translation>还没有备份</translation>
    </message>
    <message>
        <source>No backups in this folder yet. Choose a backup file with the button below.</source>
        <translation>此文件夹中还没有备份。请用下面的按钮选择备份文件。</translation>
    </message>
    <message>
        <source>No count</source>
        <translation>没有盘点单</translation>
    </message>
    <message>
        <source>No count yet: press “New count…” to start one.</source>
        <translation>还没有盘点单：点“新建盘点…”开始。</translation>
    </message>
    <message>
        <source>No differences: the shelves match the books.</source>
        <translation>无差异：实物与账面一致。</translation>
    </message>
    <message>
        <source>No end date</source>
        <translation>不设结束时间</translation>
    </message>
    <message>
        <source>No free name for a new member; type a name</source>
        <translation>无法为新会员自动起名，请输入姓名</translation>
    </message>
    <message>
        <source>No good backup was found in the backup folder.</source>
        <translation>备份文件夹中没有找到完好的备份。</translation>
    </message>
    <message>
        <source>No held sales</source>
        <translation>没有挂单</translation>
    </message>
    <message>
        <source>No member</source>
        <translation>不用会员</translation>
    </message>
    <message>
        <source>No member (Ctrl+M)</source>
        <translation>未选会员（Ctrl+M）</translation>
    </message>
    <message>
        <source>No member found for {text}</source>
        <translation>找不到 {text} 对应的会员</translation>
    </message>
    <message>
        <source>No member level {level} (the levels: {names})</source>
        <translation>没有会员等级 {level}（现有等级：{names}）</translation>
    </message>
    <message>
        <source>No member on this sale</source>
        <translation>本单不使用会员</translation>
    </message>
    <message>
        <source>No member with phone or card {key}</source>
        <translation>没有手机号或卡号为 {key} 的会员</translation>
    </message>
    <message>
        <source>No movement</source>
        <translation>长期未动</translation>
    </message>
    <message>
        <source>No one called {name} works here</source>
        <translation>员工名单里没有 {name}</translation>
    </message>
    <message>
        <source>No one has login number {number}</source>
        <translation>没有工号为 {number} 的员工</translation>
    </message>
    <message>
        <source>No open document {id} to write off</source>
        <translation>没有可核销的未结单据 {id}</translation>
    </message>
    <message>
        <source>No printer</source>
        <translation>不用打印机</translation>
    </message>
    <message>
        <source>No printer installed</source>
        <translation>没有安装打印机</translation>
    </message>
    <message>
        <source>No printer is installed on this computer, so {what} cannot be printed now.

You can preview it on screen, or save it as a PDF file and print that later (or on another computer).</source>
        <translation>这台电脑没有安装打印机，“{what}”现在无法打印。

可以在屏幕上预览，或另存为 PDF 文件，以后再打印（或在另一台电脑上打印）。</translation>
    </message>
    <message>
        <source>No printer is installed. The document is saved; print it again later.</source>
        <translation>没有安装打印机。单据已保存，可稍后再打印。</translation>
    </message>
    <message>
        <source>No product has the code {code}</source>
        <translation>没有货号为 {code} 的商品</translation>
    </message>
    <message>
        <source>No product with code or barcode {code}</source>
        <translation>没有货号或条码为 {code} 的商品</translation>
    </message>
    <message>
        <source>No product with code {code}</source>
        <translation>没有货号为 {code} 的商品</translation>
    </message>
    <message>
        <source>No products to print labels for</source>
        <translation>没有要打印标签的商品</translation>
    </message>
    <message>
        <source>No products yet: add one with New product (Ctrl+N) or import a list.</source>
        <translation>还没有商品：点“新增商品”(Ctrl+N) 添加，或导入商品清单。</translation>
    </message>
    <message>
        <source>No promotion applies: {total}</source>
        <translation>没有适用的促销：{total}</translation>
    </message>
    <message>
        <source>No purchase note numbered {number}</source>
        <translation>没有编号为 {number} 的进货单</translation>
    </message>
    <message>
        <source>No receipt printer (ESC/POS) is set up. Choose one in Till settings.</source>
        <translation>没有设置小票打印机（ESC/POS）。请在收银设置中选择。</translation>
    </message>
    <message>
        <source>No receipt printer is set up (Till settings). Save the receipt as a PDF to print it elsewhere.</source>
        <translation>没有设置小票打印机（收银设置）。可将小票另存为 PDF，在别处打印。</translation>
    </message>
    <message>
        <source>No sale in the {days} days to {day}</source>
        <translation>截至 {day} 的 {days} 天内无销售</translation>
    </message>
    <message>
        <source>No sale price changed since {day}</source>
        <translation>{day} 以来没有商品调整售价</translation>
    </message>
    <message>
        <source>No sale with receipt number {number}</source>
        <translation>找不到小票号为 {number} 的销售单</translation>
    </message>
    <message>
        <source>No scratch database could be made on the server to check the copy in ({reason}); the program's database role needs CREATEDB (README: A second till).</source>
        <translation>无法在服务器上建立用于检查备份的临时数据库（{reason}）；程序使用的数据库角色需要 CREATEDB 权限（见 README：第二台收银机）。</translation>
    </message>
    <message>
        <source>No shift is open at this till.</source>
        <translation>本收银台没有未结班次。</translation>
    </message>
    <message>
        <source>No style to count: type a style code (款号) or select a line of one.</source>
        <translation>没有可盘点的款式：请输入款号，或选中某款的一行。</translation>
    </message>
    <message>
        <source>No style to enter: type a style code (款号) or select a line of one.</source>
        <translation>没有可录入的款式：请输入款号，或选中某款的一行。</translation>
    </message>
    <message>
        <source>No style with code {code}</source>
        <translation>没有款号为 {code} 的款式</translation>
    </message>
    <message>
        <source>No styles</source>
        <translation>没有款式</translation>
    </message>
    <message>
        <source>No such person on the staff list</source>
        <translation>员工名单中没有此人</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <source>No. {number}    Scope: {scope}    Opened: {opened}</source>
        <translation>单号 {number}    范围：{scope}    开单：{opened}</translation>
    </message>
    <message>
        <source>No.: {number}</source>
        <translation>单号：{number}</translation>
    </message>
    <message>
        <source>Nobody signed in</source>
        <translation>未签到</translation>
    </message>
    <message>
        <source>None ticked: every day</source>
        <translation>都不勾：每天</translation>
    </message>
    <message>
        <source>Not a PostgreSQL URL: {url}</source>
        <translation>不是 PostgreSQL 地址：{url}</translation>
    </message>
    <message>
        <source>Not counted yet</source>
        <translation>未盘</translation>
    </message>
    <message>
        <source>Not due</source>
        <translation>未到期</translation>
    </message>
    <message>
        <source>Not enough stock: {detail}</source>
        <translation>库存不足：{detail}</translation>
    </message>
    <message>
        <source>Not printed: {reason} The sale is saved; reprint it with F11.</source>
        <translation>未打印：{reason} 销售已保存，可按 F11 重打。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Note (bank reference, who paid…)</source>
        <translation>备注（转账单号、经手人…）</translation>
    </message>
    <message>
        <source>Note (delivery address, terms…)</source>
        <translation>备注（送货地址、结算约定…）</translation>
    </message>
    <message>
        <source>Note (delivery note number, driver…)</source>
        <translation>备注（送货单号、送货人…）</translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation>备注（可选）</translation>
    </message>
    <message>
        <source>Note for this held sale (may stay empty):</source>
        <translation>挂单备注（可不填）：</translation>
    </message>
    <message>
        <source>Note {number}</source>
        <translation>单据 {number}</translation>
    </message>
    <message>
        <source>Note {number} is already posted</source>
        <translation>单据 {number} 已入库</translation>
    </message>
    <message>
        <source>Note {number} is posted; reverse it instead</source>
        <translation>单据 {number} 已过账；请改用红冲</translation>
    </message>
    <message>
        <source>Note: {note}</source>
        <translation>备注：{note}</translation>
    </message>
    <message>
        <source>Note: {text}</source>
        <translation>备注：{text}</translation>
    </message>
    <message>
        <source>Notes and coins: {amount}</source>
        <translation>按面额合计：{amount}</translation>
    </message>
    <message>
        <source>Notes in period</source>
        <translation>期间单数</translation>
    </message>
    <message>
        <source>Nothing found for {text}</source>
        <translation>没有找到“{text}”</translation>
    </message>
    <message>
        <source>Nothing of {code} is on hand</source>
        <translation>{code} 没有库存</translation>
    </message>
    <message>
        <source>Nothing was moved.</source>
        <translation>没有迁移任何数据。</translation>
    </message>
    <message>
        <source>Nothing was posted. Add --yes to post anyway.</source>
        <translation>未入库。如确认无误，请加 --yes 再次入库。</translation>
    </message>
    <message>
        <source>Nothing was written.</source>
        <translation>未写入任何内容。</translation>
    </message>
    <message>
        <source>Nothing was written. Add --yes to keep it as a prepayment.</source>
        <translation>未写入任何内容。加 --yes 可作为预付款保留。</translation>
    </message>
    <message>
        <source>Now: {member}</source>
        <translation>当前：{member}</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>单号</translation>
    </message>
    <message>
        <source>Number of labels</source>
        <translation>张数</translation>
    </message>
    <message>
        <source>Number of sales</source>
        <translation>销售笔数</translation>
    </message>
    <message>
        <source>Number of the sales note (XS…)</source>
        <translation>销售单号（XS…）</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>OK: {products} products, {moves} stock moves, the books reconcile</source>
        <translation>正常：{products} 个商品，{moves} 条库存流水，账实相符</translation>
    </message>
    <message>
        <source>Oldest due</source>
        <translation>最早到期</translation>
    </message>
    <message>
        <source>Oldest first</source>
        <translation>按最早先核销</translation>
    </message>
    <message>
        <source>On account</source>
        <translation>挂账</translation>
    </message>
    <message>
        <source>On account (not taken)</source>
        <translation>挂账（未收款）</translation>
    </message>
    <message>
        <source>On account (not taken): {amount}</source>
        <translation>挂账（未收款）：{amount}</translation>
    </message>
    <message>
        <source>On account (挂账)</source>
        <translation>挂账</translation>
    </message>
    <message>
        <source>On account (挂账): a chosen customer's account</source>
        <translation>挂账：记入所选客户的账</translation>
    </message>
    <message>
        <source>On account {amount} is more than the amount due {due}</source>
        <translation>挂账 {amount} 超过应收金额 {due}</translation>
    </message>
    <message>
        <source>On account: {amount}</source>
        <translation>本单挂账：{amount}</translation>
    </message>
    <message>
        <source>On hand</source>
        <translation>现有库存</translation>
    </message>
    <message>
        <source>One colour per line or separated by commas: code and name, e.g. 01 黑色</source>
        <translation>每行一个颜色，或用逗号分隔：色号和颜色名，例如 01 黑色</translation>
    </message>
    <message>
        <source>One label per unit on hand</source>
        <translation>按库存数量每件一张</translation>
    </message>
    <message>
        <source>One label per unit received</source>
        <translation>按进货数量每件一张</translation>
    </message>
    <message>
        <source>Only a posted note can be reversed ({number} is {status})</source>
        <translation>只有已入库的单据才能红冲（{number} 状态为{status}）</translation>
    </message>
    <message>
        <source>Only these categories:</source>
        <translation>仅以下分类：</translation>
    </message>
    <message>
        <source>Only {qty} in stock: this sale takes the stock below zero</source>
        <translation>库存只有 {qty}：这笔销售会使库存变为负数</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open a shift</source>
        <translation>开班</translation>
    </message>
    <message>
        <source>Open a shift (交班) first: the shop counts the cash by shift</source>
        <translation>请先开班：本店按班次清点现金</translation>
    </message>
    <message>
        <source>Open a shift first: count the float into the drawer.</source>
        <translation>请先开班：把备用金放进钱箱。</translation>
    </message>
    <message>
        <source>Open another data file…</source>
        <translation>打开其他数据文件…</translation>
    </message>
    <message>
        <source>Open count</source>
        <translation>开始盘点</translation>
    </message>
    <message>
        <source>Open documents: what the amount settles (核销), oldest first; type to change</source>
        <translation>未结单据：本次金额核销哪些单据（按最早先预填，可直接修改）</translation>
    </message>
    <message>
        <source>Open drawer</source>
        <translation>开钱箱</translation>
    </message>
    <message>
        <source>Open drawer (Ctrl+D)</source>
        <translation>开钱箱 (Ctrl+D)</translation>
    </message>
    <message>
        <source>Open shift…</source>
        <translation>开班…</translation>
    </message>
    <message>
        <source>Open the cash drawer after a cash sale or refund</source>
        <translation>现金收款或现金退款后打开钱箱</translation>
    </message>
    <message>
        <source>Open the drawer on cash</source>
        <translation>现金收款开钱箱</translation>
    </message>
    <message>
        <source>Open: {amount} in {n} documents</source>
        <translation>未结：{amount}，共 {n} 张单据</translation>
    </message>
    <message>
        <source>Opened</source>
        <translation>开班</translation>
    </message>
    <message>
        <source>Opened: {time}</source>
        <translation>开班：{time}</translation>
    </message>
    <message>
        <source>Opening + purchases + sales + count differences + other + cost corrections = closing. Turnover = cost of goods sold ÷ average stock.</source>
        <translation>期初 + 采购 + 销售 + 盘点差异 + 其他 + 成本更正 = 期末。周转率 = 销售成本 ÷ 平均库存。</translation>
    </message>
    <message>
        <source>Opening balance</source>
        <translation>期初余额</translation>
    </message>
    <message>
        <source>Opening cost is not a valid amount</source>
        <translation>期初成本不是有效金额</translation>
    </message>
    <message>
        <source>Opening stock</source>
        <translation>期初库存</translation>
    </message>
    <message>
        <source>Opening stock is too large</source>
        <translation>期初库存数量过大</translation>
    </message>
    <message>
        <source>Opening stock must be a whole number of thousandths</source>
        <translation>期初库存必须是整数（千分之一单位）</translation>
    </message>
    <message>
        <source>Opening stock must not be negative</source>
        <translation>期初库存不能为负数</translation>
    </message>
    <message>
        <source>Opening unit cost</source>
        <translation>期初单价</translation>
    </message>
    <message>
        <source>Opening unit cost (¥)</source>
        <translation>期初单价（元）</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>顺序</translation>
    </message>
    <message>
        <source>Order number</source>
        <translation>单号</translation>
    </message>
    <message>
        <source>Order {order} has two different times</source>
        <translation>单号 {order} 有两个不同的时间</translation>
    </message>
    <message>
        <source>Order {order} is paid two ways; one payment method per order</source>
        <translation>单号 {order} 有两种付款方式；每个单号只能一种付款方式</translation>
    </message>
    <message>
        <source>Order {order} names two customers</source>
        <translation>订单 {order} 写了两个客户</translation>
    </message>
    <message>
        <source>Order {order} was already imported</source>
        <translation>单号 {order} 已经导入过</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>产地</translation>
    </message>
    <message>
        <source>Original receipt: {number}</source>
        <translation>原小票：{number}</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>Other {n} rows</source>
        <translation>其余 {n} 行</translation>
    </message>
    <message>
        <source>Over</source>
        <translation>长款</translation>
    </message>
    <message>
        <source>Over 90 days</source>
        <translation>逾期 90 天以上</translation>
    </message>
    <message>
        <source>Over/short</source>
        <translation>长短款</translation>
    </message>
    <message>
        <source>Over/short (shifts)</source>
        <translation>长短款（各班）</translation>
    </message>
    <message>
        <source>Over/short ({word})</source>
        <translation>长短款（{word}）</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <source>Owed by customers</source>
        <translation>客户应收</translation>
    </message>
    <message>
        <source>Owed to members now: {points} points, stored value {amount}</source>
        <translation>当前欠会员：积分 {points}，储值 {amount}</translation>
    </message>
    <message>
        <source>Owed to suppliers</source>
        <translation>应付供应商</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>店主</translation>
    </message>
    <message>
        <source>Owner PIN</source>
        <translation>老板密码</translation>
    </message>
    <message>
        <source>Owner PIN (老板密码):</source>
        <translation>老板密码：</translation>
    </message>
    <message>
        <source>Owner PIN for stored value above</source>
        <translation>储值付款超过此额需老板密码</translation>
    </message>
    <message>
        <source>Owner PIN recovery code</source>
        <translation>老板密码恢复码</translation>
    </message>
    <message>
        <source>Owner PIN…</source>
        <translation>老板密码…</translation>
    </message>
    <message>
        <source>Owner allowed</source>
        <translation>老板已授权</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <source>PDF saved</source>
        <translation>PDF 已保存</translation>
    </message>
    <message>
        <source>PIN entry locked</source>
        <translation>密码输入已锁定</translation>
    </message>
    <message>
        <source>PIN reset acknowledged by the owner</source>
        <translation>老板已确认密码重置</translation>
    </message>
    <message>
        <source>PIN reset at the command line</source>
        <translation>在命令行重置了老板密码</translation>
    </message>
    <message>
        <source>PIN reset notice</source>
        <translation>密码重置提示</translation>
    </message>
    <message>
        <source>PIN reset with the recovery code</source>
        <translation>用恢复码重置了老板密码</translation>
    </message>
    <message>
        <source>PIN set</source>
        <translation>设置了老板密码</translation>
    </message>
    <message>
        <source>PIN turned off</source>
        <translation>关闭了老板密码</translation>
    </message>
    <message>
        <source>PIN:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>PRINTER TEST</source>
        <translation>打印测试</translation>
    </message>
    <message>
        <source>Pack size of barcode {code} must be 1 to 10000</source>
        <translation>条码 {code} 的每扫数量必须在 1 到 10000 之间</translation>
    </message>
    <message>
        <source>Packs</source>
        <translation>件数</translation>
    </message>
    <message>
        <source>Page {n}</source>
        <translation>第 {n} 页</translation>
    </message>
    <message>
        <source>Page {page} of {pages}</source>
        <translation>第 {page} 页，共 {pages} 页</translation>
    </message>
    <message>
        <source>Paid at the till</source>
        <translation>收银支付</translation>
    </message>
    <message>
        <source>Paid by:</source>
        <translation>付款方式：</translation>
    </message>
    <message>
        <source>Paid in</source>
        <translation>存入</translation>
    </message>
    <message>
        <source>Paid in: {reason}</source>
        <translation>存入：{reason}</translation>
    </message>
    <message>
        <source>Paid now</source>
        <translation>本次收款</translation>
    </message>
    <message>
        <source>Paid now {paid} is more than the note's total {total}</source>
        <translation>本次收款 {paid} 超过单据合计 {total}</translation>
    </message>
    <message>
        <source>Paid now: {amount}</source>
        <translation>本次收款：{amount}</translation>
    </message>
    <message>
        <source>Paid out (e.g. to a delivery man)</source>
        <translation>付出（如付给送货员）</translation>
    </message>
    <message>
        <source>Paid out: {reason}</source>
        <translation>付出：{reason}</translation>
    </message>
    <message>
        <source>Paid with points</source>
        <translation>积分抵扣</translation>
    </message>
    <message>
        <source>Paid with stored value</source>
        <translation>储值支付</translation>
    </message>
    <message>
        <source>Paid. {number}</source>
        <translation>已收款。{number}</translation>
    </message>
    <message>
        <source>Paper width</source>
        <translation>纸张宽度</translation>
    </message>
    <message>
        <source>Paper: {width} mm</source>
        <translation>纸宽：{width} mm</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Pattern and example</source>
        <translation>规则与示例</translation>
    </message>
    <message>
        <source>Pay</source>
        <translation>结账</translation>
    </message>
    <message>
        <source>Pay M</source>
        <translation>付M件</translation>
    </message>
    <message>
        <source>Pay a supplier</source>
        <translation>付款给供应商</translation>
    </message>
    <message>
        <source>Paying from a member's stored value above the limit</source>
        <translation>超过限额的会员储值支付</translation>
    </message>
    <message>
        <source>Paying with points</source>
        <translation>积分抵扣</translation>
    </message>
    <message>
        <source>Paying {amount} from stored value is above the limit {limit}: the owner must approve</source>
        <translation>储值支付 {amount} 超过限额 {limit}，需老板批准</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>付款</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>支付方式</translation>
    </message>
    <message>
        <source>Payment terms</source>
        <translation>付款期限</translation>
    </message>
    <message>
        <source>Payment terms must be 0 to 3650 days</source>
        <translation>付款期限必须是 0 到 3650 天</translation>
    </message>
    <message>
        <source>Payment to a supplier</source>
        <translation>付款给供应商</translation>
    </message>
    <message>
        <source>Payment to a supplier (付款)</source>
        <translation>付款给供应商（付款单）</translation>
    </message>
    <message>
        <source>Payments or credits are allocated to {number}: un-allocate them first</source>
        <translation>{number} 已有付款或贷项核销：请先取消核销</translation>
    </message>
    <message>
        <source>Pay…</source>
        <translation>付款…</translation>
    </message>
    <message>
        <source>Per pack</source>
        <translation>每包数量</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>Period from</source>
        <translation>期间从</translation>
    </message>
    <message>
        <source>Period: {first} to {last}</source>
        <translation>期间：{first} 至 {last}</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>Phone '{phone}' may hold only digits, spaces and + - ( )</source>
        <translation>电话“{phone}”只能包含数字、空格和 + - ( )</translation>
    </message>
    <message>
        <source>Phone: {phone}</source>
        <translation>电话：{phone}</translation>
    </message>
    <message>
        <source>Pinyin</source>
        <translation>助记码</translation>
    </message>
    <message>
        <source>Pinyin initials</source>
        <translation>助记码</translation>
    </message>
    <message>
        <source>Please check: {detail}. Post anyway?</source>
        <translation>请核对：{detail}。仍要入库吗？</translation>
    </message>
    <message>
        <source>Please confirm</source>
        <translation>请确认</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <source>Points %</source>
        <translation>积分 %</translation>
    </message>
    <message>
        <source>Points / stored value</source>
        <translation>积分/储值</translation>
    </message>
    <message>
        <source>Points added</source>
        <translation>增加积分</translation>
    </message>
    <message>
        <source>Points and stored value…</source>
        <translation>积分与储值明细…</translation>
    </message>
    <message>
        <source>Points balance</source>
        <translation>积分余额</translation>
    </message>
    <message>
        <source>Points cannot pay: the shop's redemption rate is not set</source>
        <translation>积分无法付款：未设置积分抵扣比例</translation>
    </message>
    <message>
        <source>Points corrected</source>
        <translation>调整积分</translation>
    </message>
    <message>
        <source>Points earned</source>
        <translation>本次积分</translation>
    </message>
    <message>
        <source>Points taken back</source>
        <translation>扣回积分</translation>
    </message>
    <message>
        <source>Points {n}</source>
        <translation>积分 {n}</translation>
    </message>
    <message>
        <source>Points {points}   Stored value {amount}</source>
        <translation>积分 {points}   储值 {amount}</translation>
    </message>
    <message>
        <source>Points, in % of the shop's rate</source>
        <translation>积分（店铺积分比例的百分比）</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>过账</translation>
    </message>
    <message>
        <source>Post (入库) F9</source>
        <translation>入库 F9</translation>
    </message>
    <message>
        <source>Post a stock count</source>
        <translation>盘点过账</translation>
    </message>
    <message>
        <source>Post and print F9</source>
        <translation>过账并打印 F9</translation>
    </message>
    <message>
        <source>Post count {number}</source>
        <translation>盘点单 {number} 过账</translation>
    </message>
    <message>
        <source>Post return</source>
        <translation>退货出库</translation>
    </message>
    <message>
        <source>Post return (F12)</source>
        <translation>确认退货（F12）</translation>
    </message>
    <message>
        <source>Post the purchase note (入库)</source>
        <translation>进货单入库</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>已入库</translation>
    </message>
    <message>
        <source>Posted and reversed</source>
        <translation>已入库和已红冲</translation>
    </message>
    <message>
        <source>Posted {number}: {n} lines, {total}. Print it now or later from the history.</source>
        <translation>已入库 {number}：{n} 行，{total}。可现在打印，或以后在“历史单据”中打印。</translation>
    </message>
    <message>
        <source>Posted {number}: {total}, on account {credit}; {name} owes {balance}.</source>
        <translation>已过账 {number}：{total}，挂账 {credit}；{name} 累计欠款 {balance}。</translation>
    </message>
    <message>
        <source>Posted: {posted}    Uncounted lines: {policy}</source>
        <translation>过账：{posted}    未盘商品：{policy}</translation>
    </message>
    <message>
        <source>Posted: {when}</source>
        <translation>入库时间：{when}</translation>
    </message>
    <message>
        <source>Posting the count…</source>
        <translation>正在过账…</translation>
    </message>
    <message>
        <source>Post…</source>
        <translation>过账…</translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation>前缀</translation>
    </message>
    <message>
        <source>Prepared by</source>
        <translation>制单人</translation>
    </message>
    <message>
        <source>Preparing the report…</source>
        <translation>正在生成报表…</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Preview before printing</source>
        <translation>打印前预览</translation>
    </message>
    <message>
        <source>Preview: this cart would get …</source>
        <translation>预览：这一单能享受…</translation>
    </message>
    <message>
        <source>Previous period</source>
        <translation>上期</translation>
    </message>
    <message>
        <source>Previous period {p1} – {p2}; same period last year {y1} – {y2}.</source>
        <translation>上期 {p1} – {p2}；去年同期 {y1} – {y2}。</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Price change</source>
        <translation>改价</translation>
    </message>
    <message>
        <source>Price change or discount above the limit</source>
        <translation>改价或超出限额的折扣</translation>
    </message>
    <message>
        <source>Price for products without a member price</source>
        <translation>无会员价商品的价格（零售价的百分比）</translation>
    </message>
    <message>
        <source>Price is not a valid amount</source>
        <translation>价格不是有效的金额</translation>
    </message>
    <message>
        <source>Price is not an amount of money</source>
        <translation>价格不是有效金额</translation>
    </message>
    <message>
        <source>Price level</source>
        <translation>价格等级</translation>
    </message>
    <message>
        <source>Price level must be retail or wholesale, not {level}</source>
        <translation>价格等级必须是零售或批发，不能是 {level}</translation>
    </message>
    <message>
        <source>Price must be greater than zero</source>
        <translation>价格必须大于零</translation>
    </message>
    <message>
        <source>Price tags</source>
        <translation>价签</translation>
    </message>
    <message>
        <source>Price {price} is too large</source>
        <translation>价格 {price} 太大</translation>
    </message>
    <message>
        <source>Prices and stock</source>
        <translation>价格与库存</translation>
    </message>
    <message>
        <source>Prices changed since</source>
        <translation>调价起始日期</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Print 1 to {n} labels of a product</source>
        <translation>每个商品打印 1 至 {n} 张标签</translation>
    </message>
    <message>
        <source>Print a note again</source>
        <translation>重打销售单</translation>
    </message>
    <message>
        <source>Print a note again…</source>
        <translation>重打销售单…</translation>
    </message>
    <message>
        <source>Print end-of-day summary (F5)</source>
        <translation>打印日结单（F5）</translation>
    </message>
    <message>
        <source>Print labels for the chosen products…</source>
        <translation>为所选商品打印标签…</translation>
    </message>
    <message>
        <source>Print preview</source>
        <translation>打印预览</translation>
    </message>
    <message>
        <source>Print shift slip (F6)</source>
        <translation>打印交班单（F6）</translation>
    </message>
    <message>
        <source>Print the posted note…</source>
        <translation>打印刚入库的单据…</translation>
    </message>
    <message>
        <source>Print the receipt after each payment</source>
        <translation>每次收款后自动打印小票</translation>
    </message>
    <message>
        <source>Printed {at}</source>
        <translation>打印于 {at}</translation>
    </message>
    <message>
        <source>Printed: {time}</source>
        <translation>打印时间：{time}</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <source>Printer '{name}' is not available. Choose another one in Settings.</source>
        <translation>打印机“{name}”不可用。请在设置中选择其他打印机。</translation>
    </message>
    <message>
        <source>Printer kind</source>
        <translation>打印机类型</translation>
    </message>
    <message>
        <source>Printer test</source>
        <translation>打印测试</translation>
    </message>
    <message>
        <source>Printer: {where}</source>
        <translation>打印机：{where}</translation>
    </message>
    <message>
        <source>Printing failed</source>
        <translation>打印失败</translation>
    </message>
    <message>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <source>Produced</source>
        <translation>生产日期</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Product lists (*.xlsx *.csv)</source>
        <translation>商品清单 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <source>Product {code} does not exist</source>
        <translation>商品 {code} 不存在</translation>
    </message>
    <message>
        <source>Product {code} is already a variant of another style</source>
        <translation>商品 {code} 已属于另一个款式</translation>
    </message>
    <message>
        <source>Product {id} does not exist</source>
        <translation>商品 {id} 不存在</translation>
    </message>
    <message>
        <source>Product {id} needs a special price of 0 or more</source>
        <translation>商品 {id} 需要填写不小于 0 的特价</translation>
    </message>
    <message>
        <source>Production date</source>
        <translation>生产日期</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>商品</translation>
    </message>
    <message>
        <source>Products below their minimum, or that would run out within the cover days at their average daily sales of the last 28 days; filled up to the maximum stock (or the cover), in whole packs.</source>
        <translation>低于库存下限、或按最近 28 天日均销量在补货天数内将售完的商品；补到库存上限（或补货天数的用量），按整包（整箱）取整。</translation>
    </message>
    <message>
        <source>Products in stock</source>
        <translation>有库存商品数</translation>
    </message>
    <message>
        <source>Products tab: Ctrl+N for a new product (name, price, barcode, category), or File → Import products… from an Excel or CSV list.</source>
        <translation>商品页：Ctrl+N 新增商品（名称、售价、条码、分类），或用 文件 → 导入商品… 从 Excel 或 CSV 表格导入。</translation>
    </message>
    <message>
        <source>Products were written to {path}</source>
        <translation>商品已导出到 {path}</translation>
    </message>
    <message>
        <source>Profit after count</source>
        <translation>盘点后毛利</translation>
    </message>
    <message>
        <source>Profit summary</source>
        <translation>利润汇总</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>程序</translation>
    </message>
    <message>
        <source>Promotion</source>
        <translation>促销</translation>
    </message>
    <message>
        <source>Promotion added</source>
        <translation>新增促销</translation>
    </message>
    <message>
        <source>Promotion changed</source>
        <translation>修改促销</translation>
    </message>
    <message>
        <source>Promotion ended</source>
        <translation>结束促销</translation>
    </message>
    <message>
        <source>Promotion name</source>
        <translation>促销名称</translation>
    </message>
    <message>
        <source>Promotion results</source>
        <translation>促销效果</translation>
    </message>
    <message>
        <source>Promotion {id} does not exist</source>
        <translation>促销 {id} 不存在</translation>
    </message>
    <message>
        <source>Promotion {name} has already ended</source>
        <translation>促销“{name}”已经结束</translation>
    </message>
    <message>
        <source>Promotion −{amount}</source>
        <translation>促销 −{amount}</translation>
    </message>
    <message>
        <source>Promotion: {name}</source>
        <translation>促销：{name}</translation>
    </message>
    <message>
        <source>Promotion: {name}  −{amount}</source>
        <translation>促销：{name}  −{amount}</translation>
    </message>
    <message>
        <source>Promotions</source>
        <translation>促销</translation>
    </message>
    <message>
        <source>Promotions…</source>
        <translation>促销…</translation>
    </message>
    <message>
        <source>Purchase</source>
        <translation>采购入库</translation>
    </message>
    <message>
        <source>Purchase note</source>
        <translation>进货单</translation>
    </message>
    <message>
        <source>Purchase note {id} does not exist</source>
        <translation>进货单 {id} 不存在</translation>
    </message>
    <message>
        <source>Purchase notes</source>
        <translation>采购单数</translation>
    </message>
    <message>
        <source>Purchase notes minus returns to suppliers by document date (reversed ones too); reversals and their corrections on the day they were made. Net purchases = the ledger's purchase flow.</source>
        <translation>按单据日期统计采购单减去采购退货单（含已红冲的单据）；红冲及其差额更正计入红冲当天。采购净额 = 账簿中的采购流水。</translation>
    </message>
    <message>
        <source>Purchase price</source>
        <translation>进价</translation>
    </message>
    <message>
        <source>Purchase price (¥)</source>
        <translation>进价（元）</translation>
    </message>
    <message>
        <source>Purchase receiving note</source>
        <translation>采购入库单</translation>
    </message>
    <message>
        <source>Purchase return note</source>
        <translation>采购退货单</translation>
    </message>
    <message>
        <source>Purchase summary</source>
        <translation>采购汇总</translation>
    </message>
    <message>
        <source>Purchased</source>
        <translation>进货额</translation>
    </message>
    <message>
        <source>Purchases</source>
        <translation>采购额</translation>
    </message>
    <message>
        <source>Purchases and returns</source>
        <translation>进货和退货</translation>
    </message>
    <message>
        <source>Purchasing</source>
        <translation>进货</translation>
    </message>
    <message>
        <source>Purchasing tab: choose the supplier, scan each item, check quantity and cost, F9 posts the note (入库). An unknown barcode offers to create the product on the spot.</source>
        <translation>进货页：选择供应商，逐件扫码，核对数量和进价，F9 入库。扫到未知条码时可以当场新建商品。</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Qty bought</source>
        <translation>采购数量</translation>
    </message>
    <message>
        <source>Qty in stock at the end</source>
        <translation>期末库存数量</translation>
    </message>
    <message>
        <source>Qty returned</source>
        <translation>退货数量</translation>
    </message>
    <message>
        <source>Qty sold</source>
        <translation>销售数量</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Quantity is not a number</source>
        <translation>数量不是有效数字</translation>
    </message>
    <message>
        <source>Quantity must be greater than zero</source>
        <translation>数量必须大于零</translation>
    </message>
    <message>
        <source>Quantity of {name}</source>
        <translation>{name} 的数量</translation>
    </message>
    <message>
        <source>Quantity {qty} is too large for one line</source>
        <translation>单行数量 {qty} 太大</translation>
    </message>
    <message>
        <source>Quick start</source>
        <translation>快速入门</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Quit (the cart is held, a purchase note kept as a draft)</source>
        <translation>退出（购物车自动挂单，进货单保存为草稿）</translation>
    </message>
    <message>
        <source>RETURN</source>
        <translation>退货单</translation>
    </message>
    <message>
        <source>REVERSED on {when}</source>
        <translation>已红冲（{when}）</translation>
    </message>
    <message>
        <source>Rank by</source>
        <translation>排名依据</translation>
    </message>
    <message>
        <source>Reactivate</source>
        <translation>恢复启用</translation>
    </message>
    <message>
        <source>Read as GBK the file gives garbled text, so it is in another encoding; save it as UTF-8 (in Excel: CSV UTF-8) and import it again</source>
        <translation>按 GBK 读取文件会得到乱码，说明它是其他编码；请另存为 UTF-8（Excel 中选“CSV UTF-8”）后重新导入</translation>
    </message>
    <message>
        <source>Reading the file took longer than {seconds} seconds; it is too large or damaged</source>
        <translation>读取文件超过了 {seconds} 秒；文件太大或已损坏</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>事由</translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>事由：</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>小票</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>小票号</translation>
    </message>
    <message>
        <source>Receipt number, or choose from today's list</source>
        <translation>输入小票号，或从今日列表中选择</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>小票打印机</translation>
    </message>
    <message>
        <source>Receipt printer on USB (ESC/POS)</source>
        <translation>USB 小票打印机（ESC/POS）</translation>
    </message>
    <message>
        <source>Receipt printer on a serial port (ESC/POS)</source>
        <translation>串口小票打印机（ESC/POS）</translation>
    </message>
    <message>
        <source>Receipt printer on the network (ESC/POS)</source>
        <translation>网络小票打印机（ESC/POS）</translation>
    </message>
    <message>
        <source>Receipt {number} printed</source>
        <translation>小票 {number} 已打印</translation>
    </message>
    <message>
        <source>Receive the goods</source>
        <translation>进货入库</translation>
    </message>
    <message>
        <source>Receive {code} by colour and size</source>
        <translation>按颜色尺码进货：{code}</translation>
    </message>
    <message>
        <source>Received by</source>
        <translation>收货人</translation>
    </message>
    <message>
        <source>Received by supplier</source>
        <translation>供应商签收</translation>
    </message>
    <message>
        <source>Recorded: {amount} ({reason})</source>
        <translation>已记录：{amount}（{reason}）</translation>
    </message>
    <message>
        <source>Recovery code for the owner PIN</source>
        <translation>老板密码恢复码</translation>
    </message>
    <message>
        <source>Reduction</source>
        <translation>减免</translation>
    </message>
    <message>
        <source>Reduction (yuan)</source>
        <translation>减（元）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Refund by</source>
        <translation>退款方式</translation>
    </message>
    <message>
        <source>Refund of a credit balance</source>
        <translation>退还余款</translation>
    </message>
    <message>
        <source>Refund or return</source>
        <translation>退款或退货</translation>
    </message>
    <message>
        <source>Refunded by a return</source>
        <translation>退货退回储值</translation>
    </message>
    <message>
        <source>Refunds</source>
        <translation>退款</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Remove all {n} lines from the cart?</source>
        <translation>清空购物车中的全部 {n} 行吗？</translation>
    </message>
    <message>
        <source>Remove line</source>
        <translation>删除行</translation>
    </message>
    <message>
        <source>Remove product</source>
        <translation>移除商品</translation>
    </message>
    <message>
        <source>Removed {name}</source>
        <translation>已删除 {name}</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>改名</translation>
    </message>
    <message>
        <source>Reorder service level</source>
        <translation>补货服务水平</translation>
    </message>
    <message>
        <source>Reorder suggestions</source>
        <translation>补货建议</translation>
    </message>
    <message>
        <source>Replace the shop on the server by {path}? The current shop is kept as a backup first, and every till sees the restored shop.</source>
        <translation>用 {path} 替换服务器上的店铺数据吗？当前数据会先保存为备份，所有收银机都会看到恢复后的数据。</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <source>Reports tab: today's sales and profit. At the till, F11 then F5 prints the end-of-day summary. File → Back up now, then Ctrl+Q: a cart still open is held and a purchase note is kept as a draft.</source>
        <translation>报表页：查看今天的销售和利润。在收银页按 F11 再按 F5 打印日结单。文件 → 立即备份，然后 Ctrl+Q 退出：未结账的购物车会自动挂单，进货单会保存为草稿。</translation>
    </message>
    <message>
        <source>Reprint</source>
        <translation>重打小票</translation>
    </message>
    <message>
        <source>Reprint a receipt</source>
        <translation>重打小票</translation>
    </message>
    <message>
        <source>Resetting the PIN needs --i-am-the-owner (it is recorded in the audit log)</source>
        <translation>重置老板密码需要加 --i-am-the-owner（会记入审计日志）</translation>
    </message>
    <message>
        <source>Resetting the PIN needs --recovery-code-file FILE, or --i-am-the-owner (it is recorded in the audit log)</source>
        <translation>重置老板密码需要 --recovery-code-file 文件（恢复码），或加 --i-am-the-owner（会记入审计日志）</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <source>Restore a backup…</source>
        <translation>恢复备份…</translation>
    </message>
    <message>
        <source>Restore from a backup file…</source>
        <translation>从备份文件恢复…</translation>
    </message>
    <message>
        <source>Restore the newest good backup</source>
        <translation>恢复最新的完好备份</translation>
    </message>
    <message>
        <source>Restore this backup?

{details}

The current data file is kept as a copy first, then replaced. Everything entered after this backup was made will no longer be shown.</source>
        <translation>恢复此备份吗？

{details}

当前数据文件会先另存一份，然后被替换。此备份之后录入的所有内容将不再显示。</translation>
    </message>
    <message>
        <source>Restoring replaces {path}: add --yes to confirm</source>
        <translation>恢复会替换 {path}：请加 --yes 确认</translation>
    </message>
    <message>
        <source>Restoring…</source>
        <translation>正在恢复…</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>取单</translation>
    </message>
    <message>
        <source>Retail</source>
        <translation>零售</translation>
    </message>
    <message>
        <source>Retail price</source>
        <translation>零售价</translation>
    </message>
    <message>
        <source>Return</source>
        <translation>退货</translation>
    </message>
    <message>
        <source>Return everything (F5)</source>
        <translation>全部退货（F5）</translation>
    </message>
    <message>
        <source>Return goods to the supplier</source>
        <translation>退货给供应商</translation>
    </message>
    <message>
        <source>Return goods…</source>
        <translation>退货…</translation>
    </message>
    <message>
        <source>Return notes</source>
        <translation>退货单数</translation>
    </message>
    <message>
        <source>Return price difference</source>
        <translation>退货价差</translation>
    </message>
    <message>
        <source>Return qty</source>
        <translation>退货数量</translation>
    </message>
    <message>
        <source>Return to supplier</source>
        <translation>采购退货</translation>
    </message>
    <message>
        <source>Return without a note…</source>
        <translation>无原单退货…</translation>
    </message>
    <message>
        <source>Return {code} by colour and size</source>
        <translation>按颜色尺码退货：{code}</translation>
    </message>
    <message>
        <source>Return {number} posted</source>
        <translation>退货单 {number} 已保存</translation>
    </message>
    <message>
        <source>Return {number}: refund {total} by {method}</source>
        <translation>退货 {number}：以{method}退款 {total}</translation>
    </message>
    <message>
        <source>Returnable</source>
        <translation>可退数量</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>已退</translation>
    </message>
    <message>
        <source>Returned by</source>
        <translation>退货人</translation>
    </message>
    <message>
        <source>Returns</source>
        <translation>退货额</translation>
    </message>
    <message>
        <source>Returns ({n})</source>
        <translation>退货（{n} 笔）</translation>
    </message>
    <message>
        <source>Returns count</source>
        <translation>退货笔数</translation>
    </message>
    <message>
        <source>Returns to suppliers</source>
        <translation>采购退货</translation>
    </message>
    <message>
        <source>Returns: {n}   {amount}</source>
        <translation>退货：{n} 笔   {amount}</translation>
    </message>
    <message>
        <source>Revaluation</source>
        <translation>重估</translation>
    </message>
    <message>
        <source>Reversal</source>
        <translation>红冲</translation>
    </message>
    <message>
        <source>Reversal corrections</source>
        <translation>红冲差额更正</translation>
    </message>
    <message>
        <source>Reversals</source>
        <translation>红冲</translation>
    </message>
    <message>
        <source>Reverse (红冲)…</source>
        <translation>红冲…</translation>
    </message>
    <message>
        <source>Reverse a posted document</source>
        <translation>红冲已过账单据</translation>
    </message>
    <message>
        <source>Reverse note {number}? The opposite stock moves are written; the note stays on file marked as reversed.</source>
        <translation>红冲单据 {number}？将写入相反的库存变动；原单据保留并标记为已红冲。</translation>
    </message>
    <message>
        <source>Reverse the returns against {number} first: {returns}</source>
        <translation>请先红冲单据 {number} 的退货单：{returns}</translation>
    </message>
    <message>
        <source>Reversed</source>
        <translation>已红冲</translation>
    </message>
    <message>
        <source>Reversed notes</source>
        <translation>红冲单数</translation>
    </message>
    <message>
        <source>Role must be owner or cashier</source>
        <translation>角色须为老板或收银员</translation>
    </message>
    <message>
        <source>Row {row} has more than {limit} columns</source>
        <translation>第 {row} 行超过 {limit} 列</translation>
    </message>
    <message>
        <source>Row {row}: {reason}</source>
        <translation>第 {row} 行：{reason}</translation>
    </message>
    <message>
        <source>Rows:</source>
        <translation>行数：</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>SALES RECEIPT</source>
        <translation>销售小票</translation>
    </message>
    <message>
        <source>SHIFT SLIP</source>
        <translation>交班单</translation>
    </message>
    <message>
        <source>SHIFT SLIP (SHIFT STILL OPEN)</source>
        <translation>交班单（班次未结）</translation>
    </message>
    <message>
        <source>Sale</source>
        <translation>销售</translation>
    </message>
    <message>
        <source>Sale discount</source>
        <translation>整单优惠</translation>
    </message>
    <message>
        <source>Sale discount limit (%)</source>
        <translation>整单优惠上限（%）</translation>
    </message>
    <message>
        <source>Sale held. F9 resumes it.</source>
        <translation>已挂单，按 F9 取单。</translation>
    </message>
    <message>
        <source>Sale on account</source>
        <translation>赊销</translation>
    </message>
    <message>
        <source>Sale on account above the credit limit</source>
        <translation>超信用额度挂账</translation>
    </message>
    <message>
        <source>Sale price</source>
        <translation>售价</translation>
    </message>
    <message>
        <source>Sale price (¥)</source>
        <translation>售价（元）</translation>
    </message>
    <message>
        <source>Sale {number} has no customer: refund it in money</source>
        <translation>销售 {number} 没有客户：请用现金等方式退款</translation>
    </message>
    <message>
        <source>Sale {number} was reversed; nothing to return</source>
        <translation>销售单 {number} 已红冲，不能退货</translation>
    </message>
    <message>
        <source>Sale {number}, {time}, total {total}</source>
        <translation>销售单 {number}，{time}，合计 {total}</translation>
    </message>
    <message>
        <source>Sales</source>
        <translation>销售额</translation>
    </message>
    <message>
        <source>Sales (cost)</source>
        <translation>销售（成本）</translation>
    </message>
    <message>
        <source>Sales ({n})</source>
        <translation>销售（{n} 笔）</translation>
    </message>
    <message>
        <source>Sales by cashier</source>
        <translation>按收银员销售</translation>
    </message>
    <message>
        <source>Sales by hour of day</source>
        <translation>按时段销售</translation>
    </message>
    <message>
        <source>Sales by month</source>
        <translation>月度销售</translation>
    </message>
    <message>
        <source>Sales by month (season)</source>
        <translation>月度销售（季节性）</translation>
    </message>
    <message>
        <source>Sales by payment method</source>
        <translation>按支付方式销售</translation>
    </message>
    <message>
        <source>Sales count</source>
        <translation>销售笔数</translation>
    </message>
    <message>
        <source>Sales forecast</source>
        <translation>销量预测</translation>
    </message>
    <message>
        <source>Sales forecast…</source>
        <translation>销量预测…</translation>
    </message>
    <message>
        <source>Sales from</source>
        <translation>销售期间</translation>
    </message>
    <message>
        <source>Sales note</source>
        <translation>销售单</translation>
    </message>
    <message>
        <source>Sales of the period's lines that got the promotion, less what came back; without it = the same lines at their prices before the promotion. A line two promotions touched counts in both rows, once in the total.</source>
        <translation>本期享受促销的商品行的销售额（扣除之后的退货）；“无促销时”＝同样的商品按促销前的价格计算。一行同时享受两个促销时在两行中都计入，合计只计一次。</translation>
    </message>
    <message>
        <source>Sales: {n}   {amount}</source>
        <translation>销售：{n} 笔   {amount}</translation>
    </message>
    <message>
        <source>Same period last year</source>
        <translation>去年同期</translation>
    </message>
    <message>
        <source>Same week last year</source>
        <translation>去年同周</translation>
    </message>
    <message>
        <source>Same weeks last year</source>
        <translation>去年同期</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>周六</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save PDF</source>
        <translation>保存 PDF</translation>
    </message>
    <message>
        <source>Save PDF…</source>
        <translation>保存 PDF…</translation>
    </message>
    <message>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <source>Save draft</source>
        <translation>保存草稿</translation>
    </message>
    <message>
        <source>Save draft (Ctrl+S)</source>
        <translation>存草稿 (Ctrl+S)</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>保存设置</translation>
    </message>
    <message>
        <source>Save xlsx</source>
        <translation>另存为 xlsx</translation>
    </message>
    <message>
        <source>Save xlsx…</source>
        <translation>另存为 xlsx…</translation>
    </message>
    <message>
        <source>Saved by member prices</source>
        <translation>会员价优惠</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <source>Say why (1 to 200 characters): the audit trail keeps the reason</source>
        <translation>请填写原因（1 到 200 字），审计记录会保存</translation>
    </message>
    <message>
        <source>Scale barcode rule '{rule}' is not valid (13 characters: 2, digits, X, I item, W weight or P price, C check digit)</source>
        <translation>电子秤条码规则“{rule}”无效（13 位：以 2 开头，数字、X 任意位、I 商品码、W 重量（克）或 P 金额（分）、C 校验位）</translation>
    </message>
    <message>
        <source>Scale barcode rules</source>
        <translation>电子秤条码规则</translation>
    </message>
    <message>
        <source>Scale barcodes</source>
        <translation>秤码规则</translation>
    </message>
    <message>
        <source>Scale label {code}: no product with item code {item}</source>
        <translation>秤码 {code}：没有商品码为 {item} 的商品</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>扫码</translation>
    </message>
    <message>
        <source>Scan a barcode or type pinyin initials, name or code to add a line</source>
        <translation>扫条码，或输入拼音首字母、品名、货号添加商品</translation>
    </message>
    <message>
        <source>Scan a barcode, or type pinyin initials, name or code</source>
        <translation>扫描条码，或输入拼音首字母、品名或货号</translation>
    </message>
    <message>
        <source>Scan or type a scale label to try the rules</source>
        <translation>扫描或输入一个秤码，试试这些规则</translation>
    </message>
    <message>
        <source>Scan the barcode on the receipt or type its number</source>
        <translation>扫描小票上的条码或输入小票号</translation>
    </message>
    <message>
        <source>Scan the member card, or type the phone number or its last 4 digits</source>
        <translation>扫会员卡，或输入手机号或其后 4 位</translation>
    </message>
    <message>
        <source>Scan to count +1 (a case barcode counts its pack size), or search</source>
        <translation>扫码盘点 +1（箱码按包装数量计），或输入搜索</translation>
    </message>
    <message>
        <source>Scan to count +1 (a case barcode counts its pack size), or search to type a quantity</source>
        <translation>扫码盘点 +1（箱码按包装数量计），或搜索商品后输入数量</translation>
    </message>
    <message>
        <source>Scan: +1 for the item; a product chosen from the list opens its Counted cell</source>
        <translation>扫码：该商品 +1；从列表选中的商品会打开其“实盘”格</translation>
    </message>
    <message>
        <source>Scheduled</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>Schema {revision} is older than this program's; the file is upgraded when the program next opens it.</source>
        <translation>结构版本 {revision} 比本程序的旧；程序下次打开时会升级该文件。</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Search customers: name, phone or pinyin initials</source>
        <translation>搜索客户：名称、电话或拼音首字母</translation>
    </message>
    <message>
        <source>Search document, before, after, detail</source>
        <translation>搜索单据、修改前、修改后、详情</translation>
    </message>
    <message>
        <source>Search members: name, phone, card or pinyin initials</source>
        <translation>查找会员：姓名、手机号、卡号或拼音首字母</translation>
    </message>
    <message>
        <source>Search name, pinyin initials, contact or phone</source>
        <translation>搜索名称、拼音首字母、联系人或电话</translation>
    </message>
    <message>
        <source>Search: code, barcode, name or pinyin initials</source>
        <translation>搜索：货号、条码、名称或拼音首字母</translation>
    </message>
    <message>
        <source>Search: pinyin initials, name, code or barcode</source>
        <translation>搜索：拼音首字母、名称、货号或条码</translation>
    </message>
    <message>
        <source>Season</source>
        <translation>季节</translation>
    </message>
    <message>
        <source>Season index</source>
        <translation>季节指数</translation>
    </message>
    <message>
        <source>Season index from: {source}; level {level} a week; trend {trend}% a week</source>
        <translation>季节指数来源：{source}；水平 每周 {level}；趋势 每周 {trend}%</translation>
    </message>
    <message>
        <source>Season must be one of {seasons}</source>
        <translation>季节必须是以下之一：{seasons}</translation>
    </message>
    <message>
        <source>Seasonal forecast</source>
        <translation>按季节预测</translation>
    </message>
    <message>
        <source>See costs, profit and reports</source>
        <translation>查看成本、利润和报表</translation>
    </message>
    <message>
        <source>Sell at the till</source>
        <translation>收银</translation>
    </message>
    <message>
        <source>Sell {code} by colour and size</source>
        <translation>按颜色尺码批发：{code}</translation>
    </message>
    <message>
        <source>Sell-through</source>
        <translation>售罄率</translation>
    </message>
    <message>
        <source>Sell-through (售罄率)</source>
        <translation>售罄率</translation>
    </message>
    <message>
        <source>Sell-through = sold in the period ÷ (sold + on hand at its end)</source>
        <translation>售罄率 = 期间销量 ÷（期间销量 + 期末库存）</translation>
    </message>
    <message>
        <source>Sell-through = sold ÷ (sold + in stock at the end); days of cover = in stock ÷ sold per day. Products in units, categories at cost. Days of cover blank: held but not sold in the period.</source>
        <translation>售罄率 = 销量 ÷（销量 + 期末库存）；可售天数 = 期末库存 ÷ 日均销量。商品按数量计，分类按成本计。可售天数为空：有库存但本期未售出。</translation>
    </message>
    <message>
        <source>Sell-through and days of cover</source>
        <translation>售罄率与可售天数</translation>
    </message>
    <message>
        <source>Sell-through by style</source>
        <translation>款式售罄率</translation>
    </message>
    <message>
        <source>Selling and receiving may go on while you count.</source>
        <translation>盘点期间可以照常销售和收货。</translation>
    </message>
    <message>
        <source>Selling below zero stock</source>
        <translation>库存不足时销售</translation>
    </message>
    <message>
        <source>Sent back: {when}</source>
        <translation>出库时间：{when}</translation>
    </message>
    <message>
        <source>Sent to the printer.</source>
        <translation>已发送到打印机。</translation>
    </message>
    <message>
        <source>Serial port</source>
        <translation>串口</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Server database</source>
        <translation>服务器数据库</translation>
    </message>
    <message>
        <source>Set a new owner PIN first, then acknowledge the reset</source>
        <translation>请先设置新的老板密码，再确认这次重置</translation>
    </message>
    <message>
        <source>Set to zero</source>
        <translation>清零</translation>
    </message>
    <message>
        <source>Set up the shop</source>
        <translation>设置店铺</translation>
    </message>
    <message>
        <source>Settings changed</source>
        <translation>设置已修改</translation>
    </message>
    <message>
        <source>Settings → Shop settings: the shop name for the receipts. Settings → Owner PIN keeps costs, profit and refunds for the owner. Settings → Backup folder: a USB stick is safest.</source>
        <translation>设置 → 店铺设置：填写小票上的店名。设置 → 老板密码：进价、利润和退款只给老板看。设置 → 备份文件夹：选 U 盘最安全。</translation>
    </message>
    <message>
        <source>Settlement undone</source>
        <translation>撤销核销</translation>
    </message>
    <message>
        <source>Several products match '{text}': choose one with the arrows and Enter</source>
        <translation>有多个商品匹配“{text}”：用方向键选择后按回车</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>占比</translation>
    </message>
    <message>
        <source>Shelf life '{value}' is not a whole number of days</source>
        <translation>保质期“{value}”不是整数天数</translation>
    </message>
    <message>
        <source>Shelf life (days)</source>
        <translation>保质期（天）</translation>
    </message>
    <message>
        <source>Shelf life must be between 1 and 36500 days</source>
        <translation>保质期必须在 1 到 36500 天之间</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <source>Shift closed</source>
        <translation>交班</translation>
    </message>
    <message>
        <source>Shift opened</source>
        <translation>开班</translation>
    </message>
    <message>
        <source>Shift slip not printed: {reason} Print it again with F11 then F6 (or: jxc shift slip {id} --pdf FILE)</source>
        <translation>交班单未打印：{reason} 可按 F11 再按 F6 重印（或用命令另存：jxc shift slip {id} --pdf 文件）</translation>
    </message>
    <message>
        <source>Shift slip {id} not printed: {reason}</source>
        <translation>交班单 {id} 未打印：{reason}</translation>
    </message>
    <message>
        <source>Shift slip {id} printed</source>
        <translation>交班单 {id} 已打印</translation>
    </message>
    <message>
        <source>Shift {id}</source>
        <translation>班次 {id}</translation>
    </message>
    <message>
        <source>Shift {id} closed: counted {counted}, expected {expected}, over/short {diff}</source>
        <translation>班次 {id} 已交班：实点 {counted}，应有 {expected}，长短款 {diff}</translation>
    </message>
    <message>
        <source>Shift {id} does not exist</source>
        <translation>班次 {id} 不存在</translation>
    </message>
    <message>
        <source>Shift {id} is closed: open a new shift first</source>
        <translation>班次 {id} 已交班：请先开新班</translation>
    </message>
    <message>
        <source>Shift {id} of {name}: count the cash in the drawer</source>
        <translation>{name} 的班次 {id}：请清点钱箱现金</translation>
    </message>
    <message>
        <source>Shift {id} open</source>
        <translation>班次 {id} 进行中</translation>
    </message>
    <message>
        <source>Shift {id} opened with a float of {amount}</source>
        <translation>班次 {id} 已开班，备用金 {amount}</translation>
    </message>
    <message>
        <source>Shift: {id}   Till: {till}</source>
        <translation>班次：{id}   收银台：{till}</translation>
    </message>
    <message>
        <source>Shifts</source>
        <translation>班次</translation>
    </message>
    <message>
        <source>Shifts and over/short</source>
        <translation>班次与长短款</translation>
    </message>
    <message>
        <source>Shift…</source>
        <translation>交班…</translation>
    </message>
    <message>
        <source>Shop</source>
        <translation>店铺</translation>
    </message>
    <message>
        <source>Shop name</source>
        <translation>店名</translation>
    </message>
    <message>
        <source>Shop settings</source>
        <translation>店铺设置</translation>
    </message>
    <message>
        <source>Shop settings…</source>
        <translation>店铺设置…</translation>
    </message>
    <message>
        <source>Short</source>
        <translation>短款</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Show deactivated</source>
        <translation>显示已停用</translation>
    </message>
    <message>
        <source>Show inactive</source>
        <translation>显示已停用</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>签到</translation>
    </message>
    <message>
        <source>Sign in at the till</source>
        <translation>收银员签到</translation>
    </message>
    <message>
        <source>Sign in first (your number and PIN).</source>
        <translation>请先签到（工号和密码）。</translation>
    </message>
    <message>
        <source>Sign in with your number and PIN</source>
        <translation>请用工号和密码签到</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>签退</translation>
    </message>
    <message>
        <source>Sign out when idle for:</source>
        <translation>无操作自动签退：</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>签到</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺码</translation>
    </message>
    <message>
        <source>Size group</source>
        <translation>尺码组</translation>
    </message>
    <message>
        <source>Size {size} is given twice</source>
        <translation>尺码 {size} 重复了</translation>
    </message>
    <message>
        <source>Size {size} must be 1 to {n} letters or digits (or 均码)</source>
        <translation>尺码 {size} 必须是 1 到 {n} 个字母或数字（或“均码”）</translation>
    </message>
    <message>
        <source>Sizes</source>
        <translation>尺码</translation>
    </message>
    <message>
        <source>Slow movers</source>
        <translation>滞销商品</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>已售</translation>
    </message>
    <message>
        <source>Sold (last 12 weeks)</source>
        <translation>实际销量（近 12 周）</translation>
    </message>
    <message>
        <source>Sold by colour × size</source>
        <translation>颜色尺码销量</translation>
    </message>
    <message>
        <source>Sold out</source>
        <translation>已断码</translation>
    </message>
    <message>
        <source>Sold per day</source>
        <translation>日均销量</translation>
    </message>
    <message>
        <source>Sold {sold} in {window} days ({daily} a day), cover {cover} days</source>
        <translation>近 {window} 天售出 {sold}（日均 {daily}），备货 {cover} 天</translation>
    </message>
    <message>
        <source>Spec</source>
        <translation>规格</translation>
    </message>
    <message>
        <source>Special price</source>
        <translation>特价</translation>
    </message>
    <message>
        <source>Special price (yuan)</source>
        <translation>特价（元）</translation>
    </message>
    <message>
        <source>Spend threshold reduction</source>
        <translation>满减</translation>
    </message>
    <message>
        <source>Stackable with other promotions</source>
        <translation>可与其他促销叠加</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <source>Staff added</source>
        <translation>添加员工</translation>
    </message>
    <message>
        <source>Staff changed</source>
        <translation>员工变更</translation>
    </message>
    <message>
        <source>Staff…</source>
        <translation>员工…</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Start a new empty shop</source>
        <translation>新建空白店铺</translation>
    </message>
    <message>
        <source>Start empty and add products myself</source>
        <translation>从空白开始，自己添加商品</translation>
    </message>
    <message>
        <source>Starts</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Starts with 2; X stands for any digit</source>
        <translation>以 2 开头；X 表示任意一位数字</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Statement</source>
        <translation>对账单</translation>
    </message>
    <message>
        <source>Statement (对账单)</source>
        <translation>对账单</translation>
    </message>
    <message>
        <source>Statement of account</source>
        <translation>对账单</translation>
    </message>
    <message>
        <source>Statement…</source>
        <translation>对账单…</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Still due: {amount}</source>
        <translation>还差：{amount}</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <source>Stock below zero</source>
        <translation>负库存</translation>
    </message>
    <message>
        <source>Stock by colour and size</source>
        <translation>颜色尺码库存</translation>
    </message>
    <message>
        <source>Stock count</source>
        <translation>盘点</translation>
    </message>
    <message>
        <source>Stock count posted</source>
        <translation>盘点已过账</translation>
    </message>
    <message>
        <source>Stock count tab: start a count, scan each item (+1 per scan) or type the quantity; selling may go on. Post the count to correct the stock.</source>
        <translation>盘点页：新建盘点，逐件扫码（每扫一次 +1）或直接输入数量；盘点时可以照常收银。过账后库存即被更正。</translation>
    </message>
    <message>
        <source>Stock count {id} does not exist</source>
        <translation>盘点单 {id} 不存在</translation>
    </message>
    <message>
        <source>Stock count {number} does not exist</source>
        <translation>盘点单 {number} 不存在</translation>
    </message>
    <message>
        <source>Stock goes below zero for: {detail}.

Sell anyway? The stock can be corrected later by a count or a purchase note.</source>
        <translation>以下商品库存将变为负数：{detail}。

仍然卖出吗？库存可以之后通过盘点或进货单更正。</translation>
    </message>
    <message>
        <source>Stock grids PDF…</source>
        <translation>颜色尺码库存 PDF…</translation>
    </message>
    <message>
        <source>Stock moves</source>
        <translation>库存变动</translation>
    </message>
    <message>
        <source>Stock tab: what is low, what expires soon. Purchasing → Reorder suggestions fills a purchase note from what sells.</source>
        <translation>库存页：哪些缺货、哪些快过期。进货 → 补货建议会按销量生成进货单。</translation>
    </message>
    <message>
        <source>Stock value</source>
        <translation>库存金额</translation>
    </message>
    <message>
        <source>Stock value and turnover</source>
        <translation>库存金额与周转</translation>
    </message>
    <message>
        <source>Stock value at the end</source>
        <translation>期末库存金额</translation>
    </message>
    <message>
        <source>Stock value at the end of the period</source>
        <translation>期末库存金额</translation>
    </message>
    <message>
        <source>Stock would go below zero: {detail}. Continue anyway?</source>
        <translation>库存将变为负数：{detail}。仍然继续吗？</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Stored value</source>
        <translation>储值</translation>
    </message>
    <message>
        <source>Stored value (yuan)</source>
        <translation>储值（元）</translation>
    </message>
    <message>
        <source>Stored value and points (not taken)</source>
        <translation>储值与积分付款（未收现）</translation>
    </message>
    <message>
        <source>Stored value and points go back only to a member</source>
        <translation>储值和积分只能退回给会员</translation>
    </message>
    <message>
        <source>Stored value balance</source>
        <translation>储值余额</translation>
    </message>
    <message>
        <source>Stored value corrected</source>
        <translation>调整储值</translation>
    </message>
    <message>
        <source>Stored value refunded</source>
        <translation>退回储值</translation>
    </message>
    <message>
        <source>Stored value topped up</source>
        <translation>储值充值</translation>
    </message>
    <message>
        <source>Stored value {amount}</source>
        <translation>储值 {amount}</translation>
    </message>
    <message>
        <source>Stored-value top-ups (not sales)</source>
        <translation>储值充值（非销售）</translation>
    </message>
    <message>
        <source>Style</source>
        <translation>款式</translation>
    </message>
    <message>
        <source>Style code</source>
        <translation>款号</translation>
    </message>
    <message>
        <source>Style code (款号)</source>
        <translation>款号</translation>
    </message>
    <message>
        <source>Style code is required</source>
        <translation>请填写款号</translation>
    </message>
    <message>
        <source>Style code {code} must be letters and digits, at most {n}</source>
        <translation>款号 {code} 只能包含字母和数字，最多 {n} 个字符</translation>
    </message>
    <message>
        <source>Style name</source>
        <translation>款名</translation>
    </message>
    <message>
        <source>Style {code} already exists</source>
        <translation>款号 {code} 已存在</translation>
    </message>
    <message>
        <source>Style {code} has no {colour}/{size}</source>
        <translation>款式 {code} 没有 {colour}/{size}</translation>
    </message>
    <message>
        <source>Style {id} does not exist</source>
        <translation>款式 {id} 不存在</translation>
    </message>
    <message>
        <source>Styles (colour × size)</source>
        <translation>款式（颜色尺码）</translation>
    </message>
    <message>
        <source>Styles (colour × size)…</source>
        <translation>款式（颜色尺码）…</translation>
    </message>
    <message>
        <source>Subtotal</source>
        <translation>小计</translation>
    </message>
    <message>
        <source>Subtotal {subtotal}, promotions -{discount}, to pay {total}</source>
        <translation>小计 {subtotal}，促销 -{discount}，应付 {total}</translation>
    </message>
    <message>
        <source>Subtotal: {amount}</source>
        <translation>小计：{amount}</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>建议数量</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>周日</translation>
    </message>
    <message>
        <source>Supplier</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Supplier / product</source>
        <translation>供应商 / 商品</translation>
    </message>
    <message>
        <source>Supplier for goods never bought yet</source>
        <translation>从未进过货的商品的供应商</translation>
    </message>
    <message>
        <source>Supplier name</source>
        <translation>供应商名称</translation>
    </message>
    <message>
        <source>Supplier {id} does not exist</source>
        <translation>供应商 {id} 不存在</translation>
    </message>
    <message>
        <source>Supplier {name} already exists</source>
        <translation>供应商“{name}”已存在</translation>
    </message>
    <message>
        <source>Supplier {name} is deactivated</source>
        <translation>供应商“{name}”已停用</translation>
    </message>
    <message>
        <source>Supplier: {name}</source>
        <translation>供应商：{name}</translation>
    </message>
    <message>
        <source>Suppliers</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Switch cell off/on</source>
        <translation>停用/启用该颜色尺码</translation>
    </message>
    <message>
        <source>Switch to the tabs, from left to right</source>
        <translation>从左到右切换各页</translation>
    </message>
    <message>
        <source>System default printer</source>
        <translation>系统默认打印机</translation>
    </message>
    <message>
        <source>System printer</source>
        <translation>系统打印机</translation>
    </message>
    <message>
        <source>Table files (*.xlsx *.csv)</source>
        <translation>表格文件 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <source>Tables (*.xlsx *.csv)</source>
        <translation>表格文件 (*.xlsx *.csv)</translation>
    </message>
    <message>
        <source>Taken back by a return</source>
        <translation>退货扣回</translation>
    </message>
    <message>
        <source>Takings by method</source>
        <translation>按付款方式收款</translation>
    </message>
    <message>
        <source>Tel: {phone}</source>
        <translation>电话：{phone}</translation>
    </message>
    <message>
        <source>Test print</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <source>That batch of {name} is not in count {number}; add the batch first</source>
        <translation>{name} 的该批次不在盘点单 {number} 中，请先添加批次</translation>
    </message>
    <message>
        <source>That is the data file itself; choose a backup copy.</source>
        <translation>这就是数据文件本身；请选择一个备份副本。</translation>
    </message>
    <message>
        <source>That item pays</source>
        <translation>该件付</translation>
    </message>
    <message>
        <source>The ABC thresholds add up to more than 100% ({a}% + {b}%)</source>
        <translation>ABC 分类阈值相加超过 100%（{a}% + {b}%）</translation>
    </message>
    <message>
        <source>The N-th item: N must be 2 to 100</source>
        <translation>第N件：N 必须在 2 到 100 之间</translation>
    </message>
    <message>
        <source>The PDF was saved to {path}.
No program to show PDF files was found on this computer: open the file from that folder, or print it from the program.</source>
        <translation>PDF 已保存到 {path}。
这台电脑上没有可以显示 PDF 的程序：请到该文件夹打开文件，或在本程序中打印。</translation>
    </message>
    <message>
        <source>The PIN must be {lo} to {hi} digits</source>
        <translation>老板密码必须是 {lo} 到 {hi} 位数字</translation>
    </message>
    <message>
        <source>The USB printer must be given as vendor:product in hex, such as 0416:5011</source>
        <translation>USB 打印机须写成十六进制的 厂商号:产品号，例如 0416:5011</translation>
    </message>
    <message>
        <source>The allocations ({sum}) are more than the amount {amount}</source>
        <translation>核销合计（{sum}）超过金额 {amount}</translation>
    </message>
    <message>
        <source>The amount must be more than zero</source>
        <translation>金额必须大于零</translation>
    </message>
    <message>
        <source>The amount on account must be greater than zero</source>
        <translation>挂账金额必须大于零</translation>
    </message>
    <message>
        <source>The amount paid in or out must not be zero</source>
        <translation>存取金额不能为零</translation>
    </message>
    <message>
        <source>The backup copy failed its check ({reason}); it was not kept.</source>
        <translation>备份副本未通过检查（{reason}），已丢弃。</translation>
    </message>
    <message>
        <source>The backup folder must be a full path, such as /media/usb/jxc</source>
        <translation>备份文件夹必须是完整路径，例如 /media/usb/jxc</translation>
    </message>
    <message>
        <source>The backup was cancelled; nothing was written.</source>
        <translation>备份已取消，没有写入任何内容。</translation>
    </message>
    <message>
        <source>The backup was made and checked.

{details}</source>
        <translation>备份已完成并通过检查。

{details}</translation>
    </message>
    <message>
        <source>The backup was restored. The previous file was kept as:
{path}</source>
        <translation>备份已恢复。原来的文件已保存为：
{path}</translation>
    </message>
    <message>
        <source>The barcode is empty</source>
        <translation>条码为空</translation>
    </message>
    <message>
        <source>The birthday is not a date</source>
        <translation>生日不是有效日期</translation>
    </message>
    <message>
        <source>The card number {card} is another member's phone number</source>
        <translation>卡号 {card} 是另一位会员的手机号</translation>
    </message>
    <message>
        <source>The card {card} is already used</source>
        <translation>卡号 {card} 已被使用</translation>
    </message>
    <message>
        <source>The cart cannot be read</source>
        <translation>无法读取购物车</translation>
    </message>
    <message>
        <source>The cart could not be held: {reason}

Quit anyway and lose it?</source>
        <translation>购物车无法挂单：{reason}

仍要退出并放弃这些商品吗？</translation>
    </message>
    <message>
        <source>The cart is empty</source>
        <translation>购物车是空的</translation>
    </message>
    <message>
        <source>The cart is full ({n} lines)</source>
        <translation>购物车已满（{n} 行）</translation>
    </message>
    <message>
        <source>The cart's member cannot be read</source>
        <translation>无法读取本单的会员</translation>
    </message>
    <message>
        <source>The cash drawer did not open: it opens only through a receipt printer connected directly (USB, serial or network), not through the system printer. Choose it in Till settings.</source>
        <translation>钱箱没有打开：钱箱只能通过直连的小票打印机（USB、串口或网络）打开，不能通过系统打印机。请在收银设置中选择。</translation>
    </message>
    <message>
        <source>The cash drawer did not open: no receipt printer is set up. The drawer hangs on the receipt printer; choose it (USB, serial or network) in Till settings.</source>
        <translation>钱箱没有打开：没有设置小票打印机。钱箱接在小票打印机上，请在收银设置中选择它（USB、串口或网络）。</translation>
    </message>
    <message>
        <source>The check of the data file {path} found damage ({reason}).

To keep what is already in it safe, nothing more is saved into this file. Export the products that can still be read, then restore the newest good backup; the damaged file is kept in the backup folder.</source>
        <translation>检查数据文件 {path} 时发现损坏（{reason}）。

为保护其中已有的数据，不再向这个文件保存任何内容。请先导出仍能读取的商品，再恢复最新的完好备份；损坏的文件会保留在备份文件夹中。</translation>
    </message>
    <message>
        <source>The copy of {url} failed its check, so no backup was made: {reason}</source>
        <translation>{url} 的副本未通过检查，因此没有生成备份：{reason}</translation>
    </message>
    <message>
        <source>The counted cash</source>
        <translation>实点现金</translation>
    </message>
    <message>
        <source>The counted quantity is too large</source>
        <translation>实盘数量太大</translation>
    </message>
    <message>
        <source>The counted quantity must not be negative</source>
        <translation>实盘数量不能为负数</translation>
    </message>
    <message>
        <source>The counted time {time} is later than now</source>
        <translation>盘点时间 {time} 晚于现在</translation>
    </message>
    <message>
        <source>The credit limit must be zero or more</source>
        <translation>信用额度必须大于或等于零</translation>
    </message>
    <message>
        <source>The daily hours end before they start</source>
        <translation>每日时段的结束早于开始</translation>
    </message>
    <message>
        <source>The data file cannot be opened</source>
        <translation>无法打开数据文件</translation>
    </message>
    <message>
        <source>The data file is damaged</source>
        <translation>数据文件已损坏</translation>
    </message>
    <message>
        <source>The data file was checked in full and is whole.</source>
        <translation>数据文件已完整检查，没有发现损坏。</translation>
    </message>
    <message>
        <source>The data file {path} does not exist, but there are backups.</source>
        <translation>数据文件 {path} 不存在，但有备份可用。</translation>
    </message>
    <message>
        <source>The data file {path} is damaged ({reason}), so no backup was made; nothing more is written into it. Restore the newest good backup (File → Restore, or jxc restore).</source>
        <translation>数据文件 {path} 已损坏（{reason}），所以没有制作备份；也不再向其中写入任何内容。请恢复最新的完好备份（文件 → 恢复，或 jxc restore）。</translation>
    </message>
    <message>
        <source>The data file {path} is empty (0 bytes). If the shop had data in it, restore the newest good backup.</source>
        <translation>数据文件 {path} 是空的（0 字节）。如果店里原来有数据，请恢复最新的完好备份。</translation>
    </message>
    <message>
        <source>The database already holds products or documents; demo data goes only into a new, empty database</source>
        <translation>数据库中已有商品或单据；示例数据只能载入新的空数据库</translation>
    </message>
    <message>
        <source>The database could not be used: {reason}</source>
        <translation>无法使用数据库：{reason}</translation>
    </message>
    <message>
        <source>The database file cannot be written: it or its folder is read-only, so the change was not saved. Check the permissions, or copy the file to a folder you can write to.</source>
        <translation>数据库文件无法写入：文件或其所在文件夹是只读的，所以这次修改没有保存。请检查权限，或把文件复制到可以写入的文件夹。</translation>
    </message>
    <message>
        <source>The database file {path} cannot be written: it or its folder is read-only. Nothing was changed. Check the permissions, or copy the file to a folder you can write to.</source>
        <translation>数据库文件 {path} 无法写入：文件或其所在文件夹是只读的。没有做任何修改。请检查权限，或把文件复制到可以写入的文件夹。</translation>
    </message>
    <message>
        <source>The database file {path} does not exist. To start a new shop there, run: jxc init</source>
        <translation>数据库文件 {path} 不存在。如要在那里新建店铺，请运行：jxc init</translation>
    </message>
    <message>
        <source>The database file {path} holds no shop yet. To start a new shop in it, run: jxc init</source>
        <translation>数据库文件 {path} 中还没有店铺。如要在其中新建店铺，请运行：jxc init</translation>
    </message>
    <message>
        <source>The database file {path} is damaged ({reason}).</source>
        <translation>数据库文件 {path} 已损坏（{reason}）。</translation>
    </message>
    <message>
        <source>The database file {path} is damaged ({reason}). It was not opened and nothing in it was changed. Restore the newest good backup or choose another file.</source>
        <translation>数据库文件 {path} 已损坏（{reason}）。程序没有打开它，其中的内容没有任何改动。请恢复最新的完好备份，或选择其他文件。</translation>
    </message>
    <message>
        <source>The database file {path} is damaged ({reason}). Nothing more is written into it. Restore the newest good backup (File → Restore, or jxc restore).</source>
        <translation>数据库文件 {path} 已损坏（{reason}）。为保护已有数据，不再向其中写入任何内容。请恢复最新的完好备份（文件 → 恢复，或 jxc restore）。</translation>
    </message>
    <message>
        <source>The database file {path} is damaged ({reason}). Restore a backup.</source>
        <translation>数据文件 {path} 已损坏（{reason}）。请恢复备份。</translation>
    </message>
    <message>
        <source>The database file {path} is not empty; nothing was changed.</source>
        <translation>数据库文件 {path} 不是空的；没有做任何修改。</translation>
    </message>
    <message>
        <source>The database file {path} was changed by another program while it was being opened. Try again.</source>
        <translation>打开数据库文件 {path} 时，它被其他程序修改了。请重试。</translation>
    </message>
    <message>
        <source>The database file {path} was created by another program meanwhile; nothing was changed.</source>
        <translation>数据库文件 {path} 在此期间被其他程序创建了；没有做任何修改。</translation>
    </message>
    <message>
        <source>The database is busy (a backup is being restored). Try again in a moment.</source>
        <translation>数据库正忙（正在恢复备份）。请稍后再试。</translation>
    </message>
    <message>
        <source>The database is busy (another program is using it). Try again.</source>
        <translation>数据库正忙（有其他程序在使用它）。请再试一次。</translation>
    </message>
    <message>
        <source>The database is busy (another program is writing). Try again.</source>
        <translation>数据文件正忙（其他程序正在写入），请重试。</translation>
    </message>
    <message>
        <source>The database is in use by another program; close it before restoring.</source>
        <translation>数据库正被其他程序使用；请先关闭它再恢复。</translation>
    </message>
    <message>
        <source>The database refused the write: {reason}</source>
        <translation>数据文件拒绝写入：{reason}</translation>
    </message>
    <message>
        <source>The date {day} is in the future</source>
        <translation>日期 {day} 在将来</translation>
    </message>
    <message>
        <source>The date {day} is too far in the past</source>
        <translation>日期 {day} 太早了</translation>
    </message>
    <message>
        <source>The discount on {name} is above the allowed {pct}%</source>
        <translation>{name} 的优惠超过允许的 {pct}%</translation>
    </message>
    <message>
        <source>The discount on {name} is more than the line amount</source>
        <translation>{name} 的优惠超过该行金额</translation>
    </message>
    <message>
        <source>The discount {discount} is more than the amount {amount}</source>
        <translation>优惠 {discount} 超过金额 {amount}</translation>
    </message>
    <message>
        <source>The disk could not be written ({reason}): it may be full or failing. The change was not saved. Free some space, check the disk and make a backup.</source>
        <translation>无法写入磁盘（{reason}）：磁盘可能已满或有故障。修改没有保存。请腾出空间、检查磁盘并做一次备份。</translation>
    </message>
    <message>
        <source>The disk is full, so the change was not saved. Free some space and try again.</source>
        <translation>磁盘已满，修改没有保存。请腾出一些空间后再试。</translation>
    </message>
    <message>
        <source>The document to print could not be read</source>
        <translation>无法读取要打印的文档</translation>
    </message>
    <message>
        <source>The drawer holds only {cash}: cannot pay out {amount}</source>
        <translation>钱箱只有 {cash}：不能付出 {amount}</translation>
    </message>
    <message>
        <source>The figures agree but a check found problems: keep using the file until they are solved.</source>
        <translation>数字一致，但检查发现问题：问题解决前请继续使用文件。</translation>
    </message>
    <message>
        <source>The figures do not agree: keep using the file and report the problem.</source>
        <translation>数字不一致：请继续使用文件并报告问题。</translation>
    </message>
    <message>
        <source>The file gives no time: shown is when it was saved. Change it to when the shelves were counted.</source>
        <translation>文件没有写明时间：这里显示的是文件的保存时间。请改为实际盘点货架的时间。</translation>
    </message>
    <message>
        <source>The file has a header row but no products</source>
        <translation>文件只有表头，没有商品</translation>
    </message>
    <message>
        <source>The file has more than {limit} lines (blank ones included)</source>
        <translation>文件超过 {limit} 行（含空行）</translation>
    </message>
    <message>
        <source>The file has more than {limit} rows</source>
        <translation>文件超过 {limit} 行</translation>
    </message>
    <message>
        <source>The file has no data rows</source>
        <translation>文件中没有数据行</translation>
    </message>
    <message>
        <source>The file has no lines</source>
        <translation>文件没有数据行</translation>
    </message>
    <message>
        <source>The file has no promotions</source>
        <translation>文件中没有促销</translation>
    </message>
    <message>
        <source>The file holds an XML document type declaration, which spreadsheets never write; it is refused</source>
        <translation>文件含有电子表格从不写入的 XML 文档类型声明；拒绝读取此文件</translation>
    </message>
    <message>
        <source>The file holds more than {limit} different texts; it is not an ordinary spreadsheet</source>
        <translation>文件包含超过 {limit} 个不同的文本；这不是普通的电子表格</translation>
    </message>
    <message>
        <source>The file holds {count} parts (at most {limit}); it is not an ordinary spreadsheet</source>
        <translation>文件包含 {count} 个部件（最多 {limit} 个）；这不是普通的电子表格</translation>
    </message>
    <message>
        <source>The file is empty (no header row)</source>
        <translation>文件是空的（没有表头行）</translation>
    </message>
    <message>
        <source>The file is larger than {limit} MB</source>
        <translation>文件超过 {limit} MB</translation>
    </message>
    <message>
        <source>The file is neither UTF-8 nor GBK text</source>
        <translation>文件既不是 UTF-8 也不是 GBK 编码的文本</translation>
    </message>
    <message>
        <source>The file is neither UTF-8 nor GBK text (line {line} cannot be read as either)</source>
        <translation>文件既不是 UTF-8 也不是 GBK 编码的文本（第 {line} 行两种方式都无法读取）</translation>
    </message>
    <message>
        <source>The file is not a text table (it holds binary data)</source>
        <translation>文件不是文本表格（含有二进制数据）</translation>
    </message>
    <message>
        <source>The file is too large to read</source>
        <translation>文件太大，无法读取</translation>
    </message>
    <message>
        <source>The file lacks the column(s): {names}</source>
        <translation>文件缺少列：{names}</translation>
    </message>
    <message>
        <source>The file looks like Big5 (Traditional Chinese) text, which is not read here; save it as UTF-8 (in Excel: CSV UTF-8) and import it again</source>
        <translation>文件看来是 Big5（繁体中文）编码，本程序不读取这种编码；请另存为 UTF-8（Excel 中选“CSV UTF-8”）后重新导入</translation>
    </message>
    <message>
        <source>The file may be GBK or Big5 text and the two cannot be told apart; save it as UTF-8 (in Excel: CSV UTF-8) and import it again</source>
        <translation>文件可能是 GBK 也可能是 Big5 编码，无法区分；请另存为 UTF-8（Excel 中选“CSV UTF-8”）后重新导入</translation>
    </message>
    <message>
        <source>The file name must end in .pdf</source>
        <translation>文件名必须以 .pdf 结尾</translation>
    </message>
    <message>
        <source>The file name must end in .xlsx</source>
        <translation>文件名必须以 .xlsx 结尾</translation>
    </message>
    <message>
        <source>The file needs a barcode column and a qty column</source>
        <translation>文件需要“条码”列和“数量”列</translation>
    </message>
    <message>
        <source>The file starts with a UTF-8 mark but line {line} is not UTF-8 text</source>
        <translation>文件以 UTF-8 标记开头，但第 {line} 行不是 UTF-8 文本</translation>
    </message>
    <message>
        <source>The file was not imported; nothing was changed. Fix these rows and import it again:</source>
        <translation>文件没有导入，数据没有任何改动。请改正以下各行后重新导入：</translation>
    </message>
    <message>
        <source>The file would unpack to {size} MB (at most {limit} MB); it is not an ordinary spreadsheet</source>
        <translation>文件解压后有 {size} MB（最多 {limit} MB）；这不是普通的电子表格</translation>
    </message>
    <message>
        <source>The file's table of contents is {size} KB (at most {limit} KB); it is not an ordinary spreadsheet</source>
        <translation>文件的目录有 {size} KB（最多 {limit} KB）；这不是普通的电子表格</translation>
    </message>
    <message>
        <source>The first day is after the last day</source>
        <translation>开始日期晚于结束日期</translation>
    </message>
    <message>
        <source>The float</source>
        <translation>备用金</translation>
    </message>
    <message>
        <source>The float left</source>
        <translation>留存备用金</translation>
    </message>
    <message>
        <source>The float left ({left}) is more than the cash counted ({counted})</source>
        <translation>留存备用金（{left}）多于实点现金（{counted}）</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist, so there is no database {path} in it. Check the path; to start a new shop there, run: jxc init</source>
        <translation>文件夹 {folder} 不存在，所以其中没有数据库 {path}。请检查路径；如要在那里新建店铺，请运行：jxc init</translation>
    </message>
    <message>
        <source>The folder {path} does not exist</source>
        <translation>文件夹 {path} 不存在</translation>
    </message>
    <message>
        <source>The header row has none of the columns 货号, 名称, 条码</source>
        <translation>表头中没有“货号”“名称”“条码”中的任何一列</translation>
    </message>
    <message>
        <source>The in-store barcodes are used up</source>
        <translation>店内码已用完</translation>
    </message>
    <message>
        <source>The in-store barcodes of prefix {prefix} are used up</source>
        <translation>前缀 {prefix} 的店内码已用完</translation>
    </message>
    <message>
        <source>The login number must be 1 to 8 digits</source>
        <translation>工号须为 1 到 8 位数字</translation>
    </message>
    <message>
        <source>The member price of {name} is above its sale price</source>
        <translation>{name} 的会员价高于售价</translation>
    </message>
    <message>
        <source>The migrations stopped at schema {revision} instead of {head}.</source>
        <translation>升级停在了结构版本 {revision}，而不是 {head}。</translation>
    </message>
    <message>
        <source>The move was cancelled; nothing was written to the server.</source>
        <translation>迁移已取消；服务器上没有写入任何数据。</translation>
    </message>
    <message>
        <source>The network printer must be given as host:port, such as 192.168.1.50:9100</source>
        <translation>网络打印机须写成 地址:端口，例如 192.168.1.50:9100</translation>
    </message>
    <message>
        <source>The note has no lines</source>
        <translation>单据没有任何商品行</translation>
    </message>
    <message>
        <source>The note total is too large</source>
        <translation>单据合计金额太大</translation>
    </message>
    <message>
        <source>The notes and coins add up to {sum}, not {counted}</source>
        <translation>各面额合计为 {sum}，不是 {counted}</translation>
    </message>
    <message>
        <source>The number of demo days must be 0 to {limit}</source>
        <translation>示例天数必须在 0 到 {limit} 之间</translation>
    </message>
    <message>
        <source>The number of demo products must be 1 to {limit}</source>
        <translation>示例商品数量必须在 1 到 {limit} 之间</translation>
    </message>
    <message>
        <source>The number of demo styles must be 1 to {limit}</source>
        <translation>示例款式数必须是 1 到 {limit}</translation>
    </message>
    <message>
        <source>The number of pieces must be a whole number from 0 to {max}</source>
        <translation>张数必须是 0 到 {max} 的整数</translation>
    </message>
    <message>
        <source>The owner signs in with the owner PIN: change it with jxc pin set</source>
        <translation>老板用老板密码签到：请用 jxc pin set 修改</translation>
    </message>
    <message>
        <source>The payments ({paid}) do not cover the amount due {due}</source>
        <translation>付款 {paid} 不足应收 {due}</translation>
    </message>
    <message>
        <source>The percentage must be 0 to 100</source>
        <translation>百分比必须在 0 到 100 之间</translation>
    </message>
    <message>
        <source>The period ends ({last}) before it starts ({first})</source>
        <translation>期间的结束日期（{last}）早于开始日期（{first}）</translation>
    </message>
    <message>
        <source>The period ends before it begins</source>
        <translation>期间的结束日期早于开始日期</translation>
    </message>
    <message>
        <source>The period ends before it starts</source>
        <translation>结束日期早于开始日期</translation>
    </message>
    <message>
        <source>The period is too long (at most {days} days)</source>
        <translation>期间太长（最多 {days} 天）</translation>
    </message>
    <message>
        <source>The phone number {phone} is already used by another member</source>
        <translation>手机号 {phone} 已被其他会员使用</translation>
    </message>
    <message>
        <source>The phone number {phone} is another member's card number</source>
        <translation>手机号 {phone} 是另一位会员的卡号</translation>
    </message>
    <message>
        <source>The points must be a whole number, not zero</source>
        <translation>积分须为非零整数</translation>
    </message>
    <message>
        <source>The prefix of a scale label starts with 2 and has only digits or X, not '{prefix}'</source>
        <translation>秤码前缀必须以 2 开头，且只能含数字或 X，不能是“{prefix}”</translation>
    </message>
    <message>
        <source>The printer did not start. Check it is on and has paper, then print again.</source>
        <translation>打印机未能启动。请检查电源和纸张后重新打印。</translation>
    </message>
    <message>
        <source>The products could not be read from the damaged file: {reason}</source>
        <translation>无法从损坏的文件中读出商品：{reason}</translation>
    </message>
    <message>
        <source>The promotion ends before it starts</source>
        <translation>促销的结束时间早于开始时间</translation>
    </message>
    <message>
        <source>The promotions do not match the cart; scan again</source>
        <translation>促销与购物车不一致，请重新扫描</translation>
    </message>
    <message>
        <source>The purchase note could not be kept as a draft: {reason}

Quit anyway and lose it?</source>
        <translation>进货单无法保存为草稿：{reason}

仍要退出并放弃这张进货单吗？</translation>
    </message>
    <message>
        <source>The receipt printer ({where}) did not answer: {reason}. Check that it is on, connected and has paper.</source>
        <translation>小票打印机（{where}）没有响应：{reason}。请检查打印机已开机、已连接并且有纸。</translation>
    </message>
    <message>
        <source>The reduction must be more than 0 and less than the threshold</source>
        <translation>减免金额必须大于 0 且小于门槛金额</translation>
    </message>
    <message>
        <source>The rest paid by</source>
        <translation>其余付款方式</translation>
    </message>
    <message>
        <source>The return must go to the supplier of {number}</source>
        <translation>退货必须退给单据 {number} 的供应商</translation>
    </message>
    <message>
        <source>The row has no start</source>
        <translation>这一行没有开始时间</translation>
    </message>
    <message>
        <source>The row names no product: fill in the barcode or the code</source>
        <translation>这一行没有指明商品：请填写条码或货号</translation>
    </message>
    <message>
        <source>The sales note being entered is not posted. Quit anyway and lose it?</source>
        <translation>正在填写的销售单尚未过账。仍要退出并放弃它吗？</translation>
    </message>
    <message>
        <source>The scale label rules use every in-store prefix 20–29; no in-store barcode can be made. Change the scale rules in the till settings</source>
        <translation>电子秤条码规则占用了全部店内码前缀 20–29，无法生成店内码。请在收银设置中修改电子秤条码规则</translation>
    </message>
    <message>
        <source>The scan time {time} is later than now</source>
        <translation>扫描时间 {time} 晚于现在</translation>
    </message>
    <message>
        <source>The server database {url} already holds a shop ({tables}); nothing was copied. Move into a new, empty database.</source>
        <translation>服务器数据库 {url} 中已有店铺数据（{tables}）；没有复制任何数据。请迁移到一个新的空数据库。</translation>
    </message>
    <message>
        <source>The server database {url} could not be prepared (nothing in it was changed): {reason}</source>
        <translation>无法准备服务器数据库 {url}（其中没有做任何改动）：{reason}</translation>
    </message>
    <message>
        <source>The server database {url} holds tables of another program; nothing was changed. Use an empty database.</source>
        <translation>服务器数据库 {url} 中有其他程序的数据表；没有做任何改动。请使用一个空数据库。</translation>
    </message>
    <message>
        <source>The server database {url} is empty: make a shop in it first (jxc init or jxc move-to-server).</source>
        <translation>服务器数据库 {url} 是空的：请先在其中建立店铺（jxc init 或 jxc move-to-server）。</translation>
    </message>
    <message>
        <source>The server database {url} was made by a newer version of this program (schema {revision}); update the program on this PC.</source>
        <translation>服务器数据库 {url} 由本程序的较新版本建立（结构版本 {revision}）；请更新这台电脑上的程序。</translation>
    </message>
    <message>
        <source>The sheet has more than {limit} cells; delete the unused rows and columns or copy the table to a new sheet</source>
        <translation>工作表超过 {limit} 个单元格；请删除不用的行和列，或把表格复制到新工作表</translation>
    </message>
    <message>
        <source>The sheet has more than {limit} rows (blank ones included); delete the unused rows or copy the table to a new sheet</source>
        <translation>工作表超过 {limit} 行（含空行）；请删除不用的行，或把表格复制到新工作表</translation>
    </message>
    <message>
        <source>The sheet's used range {range} is larger than {rows} rows by {columns} columns; delete the unused rows and columns or copy the table to a new sheet</source>
        <translation>工作表的使用范围 {range} 超过 {rows} 行 × {columns} 列；请删除不用的行和列，或把表格复制到新工作表</translation>
    </message>
    <message>
        <source>The shop could not be copied to {url} (nothing was kept there): {reason}</source>
        <translation>无法把店铺复制到 {url}（那里没有保留任何数据）：{reason}</translation>
    </message>
    <message>
        <source>The shop has an owner already</source>
        <translation>本店已有老板</translation>
    </message>
    <message>
        <source>The shop is already on a server; move-to-server copies a shop file (--db FILE).</source>
        <translation>店铺已经在服务器上；move-to-server 复制的是店铺文件（--db 文件）。</translation>
    </message>
    <message>
        <source>The shop is on the server: point each till at it with --db or JXC_DB.</source>
        <translation>店铺已在服务器上：请用 --db 或 JXC_DB 让每台收银机指向它。</translation>
    </message>
    <message>
        <source>The shop owes suppliers (应付)</source>
        <translation>欠供应商款（应付）</translation>
    </message>
    <message>
        <source>The stock of the selected variant's style as a colour × size grid</source>
        <translation>所选商品所属款式的颜色×尺码库存表</translation>
    </message>
    <message>
        <source>The stored-value amount must not be zero</source>
        <translation>储值金额不能为零</translation>
    </message>
    <message>
        <source>The threshold must be more than 0</source>
        <translation>门槛金额必须大于 0</translation>
    </message>
    <message>
        <source>The till name must be 1 to 20 characters</source>
        <translation>收银台名称须为 1 到 20 个字符</translation>
    </message>
    <message>
        <source>The time is the file's own (its time line). Change it if the shelves were counted at another time.</source>
        <translation>时间取自文件自带的时间行。如果实际盘点时间不同，请修改。</translation>
    </message>
    <message>
        <source>The time {value} is in the future</source>
        <translation>时间 {value} 在将来</translation>
    </message>
    <message>
        <source>The two PINs differ</source>
        <translation>两次输入的密码不一致</translation>
    </message>
    <message>
        <source>The two sides do not agree: keep using the shop file. {details}</source>
        <translation>两边不一致：请继续使用店铺文件。{details}</translation>
    </message>
    <message>
        <source>The whole-sale discount is above the allowed {pct}%</source>
        <translation>整单优惠超过允许的 {pct}%</translation>
    </message>
    <message>
        <source>Thermal label 40×30 mm</source>
        <translation>热敏标签 40×30 mm</translation>
    </message>
    <message>
        <source>Thermal label 50×30 mm</source>
        <translation>热敏标签 50×30 mm</translation>
    </message>
    <message>
        <source>Thermal label 60×40 mm</source>
        <translation>热敏标签 60×40 mm</translation>
    </message>
    <message>
        <source>This backup cannot be restored: upgrading it to this version failed ({reason}). The data file was not changed.</source>
        <translation>无法恢复这个备份：把它升级到当前版本时失败（{reason}）。数据文件没有任何改动。</translation>
    </message>
    <message>
        <source>This backup cannot be restored: {reason}</source>
        <translation>此备份无法恢复：{reason}</translation>
    </message>
    <message>
        <source>This cart would get:</source>
        <translation>这一单可享受：</translation>
    </message>
    <message>
        <source>This command works on a data file; {url} is a database on a server.</source>
        <translation>此命令只用于数据文件；{url} 是服务器上的数据库。</translation>
    </message>
    <message>
        <source>This copy cannot be restored: {reason}</source>
        <translation>此备份无法恢复：{reason}</translation>
    </message>
    <message>
        <source>This count has no lines.</source>
        <translation>本盘点单没有商品。</translation>
    </message>
    <message>
        <source>This held sale cannot be read; delete it</source>
        <translation>无法读取此挂单，请删除</translation>
    </message>
    <message>
        <source>This is not the recovery code of this shop file</source>
        <translation>这不是本店数据文件的恢复码</translation>
    </message>
    <message>
        <source>This is the owner (signs in with the owner PIN)</source>
        <translation>这是老板（用老板密码签到）</translation>
    </message>
    <message>
        <source>This is {extra} more than is owed; keep it as a prepayment?</source>
        <translation>比应付多出 {extra}；作为预付款保留吗？</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>This needs the owner PIN</source>
        <translation>此操作需要老板密码</translation>
    </message>
    <message>
        <source>This needs the owner PIN: pass --pin-file FILE</source>
        <translation>此操作需要老板密码：请用 --pin-file 文件 提供</translation>
    </message>
    <message>
        <source>This needs the owner: {what}</source>
        <translation>此操作需要老板授权：{what}</translation>
    </message>
    <message>
        <source>This product tracks batches: enter the batch number and the expiry (or production) date</source>
        <translation>此商品按批次管理：请填写批号和有效期（或生产日期）</translation>
    </message>
    <message>
        <source>This quick start</source>
        <translation>打开本快速入门</translation>
    </message>
    <message>
        <source>This rule needs {used} digits; a scale label has 13</source>
        <translation>这条规则需要 {used} 位，秤码只有 13 位</translation>
    </message>
    <message>
        <source>This shop is already on a server.</source>
        <translation>本店已经在服务器上。</translation>
    </message>
    <message>
        <source>This till's name:</source>
        <translation>本收银台名称：</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>This year</source>
        <translation>今年</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>门槛</translation>
    </message>
    <message>
        <source>Threshold (yuan)</source>
        <translation>满（元）</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>周四</translation>
    </message>
    <message>
        <source>Tick at least one category, or choose all products.</source>
        <translation>请至少勾选一个分类，或选择全部商品。</translation>
    </message>
    <message>
        <source>Tick the box to confirm the write-off.</source>
        <translation>请勾选确认核销。</translation>
    </message>
    <message>
        <source>Till</source>
        <translation>收银台</translation>
    </message>
    <message>
        <source>Till settings</source>
        <translation>收银设置</translation>
    </message>
    <message>
        <source>Till settings…</source>
        <translation>收银设置…</translation>
    </message>
    <message>
        <source>Till {till} has an open shift already ({name}, since {time}): close it first</source>
        <translation>收银台 {till} 已有未结班次（{name}，{time} 开班）：请先交班</translation>
    </message>
    <message>
        <source>Till {till} has an open shift already: close it first</source>
        <translation>收银台 {till} 已有未结班次：请先交班</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Time: {time}</source>
        <translation>时间：{time}</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>到：</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>Too many wrong PINs: PIN entry is locked for {seconds} more seconds</source>
        <translation>密码错误次数过多：密码输入已锁定，请 {seconds} 秒后再试</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>前</translation>
    </message>
    <message>
        <source>Top 20</source>
        <translation>前 20 名</translation>
    </message>
    <message>
        <source>Top up stored value</source>
        <translation>储值充值</translation>
    </message>
    <message>
        <source>Top up…</source>
        <translation>充值…</translation>
    </message>
    <message>
        <source>Top-up</source>
        <translation>充值</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Total takings</source>
        <translation>收款合计</translation>
    </message>
    <message>
        <source>Total {amount}</source>
        <translation>合计 {amount}</translation>
    </message>
    <message>
        <source>Total {qty} {unit}</source>
        <translation>合计 {qty} {unit}</translation>
    </message>
    <message>
        <source>Total: {amount}</source>
        <translation>合计：{amount}</translation>
    </message>
    <message>
        <source>Total: {n} lines</source>
        <translation>合计：{n} 行</translation>
    </message>
    <message>
        <source>Total: {total} ({n} lines)</source>
        <translation>合计：{total}（{n} 行）</translation>
    </message>
    <message>
        <source>Totals</source>
        <translation>合计</translation>
    </message>
    <message>
        <source>Track batches and expiry dates</source>
        <translation>按批次管理（记录有效期）</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>周二</translation>
    </message>
    <message>
        <source>Turnover</source>
        <translation>周转率</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Type a quantity into the Counted column to count by hand; empty it to undo. Sales during the count are fine: each line compares with the books at the moment it was counted.</source>
        <translation>在“实盘”列输入数量即可手工盘点，清空则撤销。盘点期间可以照常销售：每行按盘点那一刻的账面数量比较。</translation>
    </message>
    <message>
        <source>Type the batch number.</source>
        <translation>请输入批号。</translation>
    </message>
    <message>
        <source>Type your login number and PIN, then Enter.</source>
        <translation>请输入工号和密码，按回车。</translation>
    </message>
    <message>
        <source>USB printer</source>
        <translation>USB 打印机</translation>
    </message>
    <message>
        <source>Uncategorised</source>
        <translation>未分类</translation>
    </message>
    <message>
        <source>Uncategorized</source>
        <translation>未分类</translation>
    </message>
    <message>
        <source>Uncounted lines</source>
        <translation>未盘行</translation>
    </message>
    <message>
        <source>Uncounted lines must be kept or zeroed, not '{value}'</source>
        <translation>未盘商品只能“保持不变”或“按零处理”，不能是“{value}”</translation>
    </message>
    <message>
        <source>Undo allocation (撤销核销)…</source>
        <translation>撤销核销…</translation>
    </message>
    <message>
        <source>Undo an allocation (撤销核销)</source>
        <translation>撤销核销</translation>
    </message>
    <message>
        <source>Undo these allocations of {number}? What they settled is open again.
{lines}</source>
        <translation>撤销 {number} 的以下核销吗？被核销的金额将重新变为未结。
{lines}</translation>
    </message>
    <message>
        <source>Unexpected error: {error}</source>
        <translation>意外错误：{error}</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Unit cost</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <source>Unit price of {name} (catalogue {price})</source>
        <translation>{name} 的单价（标价 {price}）</translation>
    </message>
    <message>
        <source>Units a week</source>
        <translation>每周销量</translation>
    </message>
    <message>
        <source>Units per pack must be from 1 to {n}</source>
        <translation>每件数量须在 1 到 {n} 之间</translation>
    </message>
    <message>
        <source>Units per scan</source>
        <translation>每扫数量</translation>
    </message>
    <message>
        <source>Unknown barcode {code}</source>
        <translation>未知条码 {code}</translation>
    </message>
    <message>
        <source>Unknown category {name}</source>
        <translation>未知的分类“{name}”</translation>
    </message>
    <message>
        <source>Unknown customer {name}: add it first (jxc customers add)</source>
        <translation>未知客户 {name}：请先添加（jxc customers add）</translation>
    </message>
    <message>
        <source>Unknown party {party}</source>
        <translation>未知的往来方 {party}</translation>
    </message>
    <message>
        <source>Unknown payment method {method}</source>
        <translation>未知付款方式 {method}</translation>
    </message>
    <message>
        <source>Unknown points move {kind}</source>
        <translation>未知的积分变动类型 {kind}</translation>
    </message>
    <message>
        <source>Unknown price level {level}</source>
        <translation>未知的价格等级 {level}</translation>
    </message>
    <message>
        <source>Unknown promotion kind '{kind}'</source>
        <translation>未知的促销类型“{kind}”</translation>
    </message>
    <message>
        <source>Unknown reorder rule {rule}</source>
        <translation>未知的补货规则 {rule}</translation>
    </message>
    <message>
        <source>Unknown setting {key}</source>
        <translation>未知的设置项 {key}</translation>
    </message>
    <message>
        <source>Unknown stored-value move {kind}</source>
        <translation>未知的储值变动类型 {kind}</translation>
    </message>
    <message>
        <source>Unknown supplier {name}: add it first (jxc suppliers add)</source>
        <translation>未知供应商“{name}”：请先添加（jxc suppliers add）</translation>
    </message>
    <message>
        <source>Unlocked by the owner: {m}:{s:02d} left</source>
        <translation>老板已解锁：剩余 {m}:{s:02d}</translation>
    </message>
    <message>
        <source>Unsupported file type {suffix}: use .xlsx or .csv</source>
        <translation>不支持的文件类型 {suffix}：请使用 .xlsx 或 .csv</translation>
    </message>
    <message>
        <source>Upgrading the database failed and it was put back as it was: {reason}</source>
        <translation>数据文件升级失败，已恢复原样：{reason}</translation>
    </message>
    <message>
        <source>Upgrading the database from schema {revision} failed and it was left as it was (nothing in it was changed): {reason}</source>
        <translation>数据库从结构版本 {revision} 升级失败，文件保持原样（其中没有任何改动）：{reason}</translation>
    </message>
    <message>
        <source>Use shifts (交班): a sale needs an open shift</source>
        <translation>使用交班：开班后才能收银</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>金额</translation>
    </message>
    <message>
        <source>Value tied up</source>
        <translation>占用资金</translation>
    </message>
    <message>
        <source>Variance report PDF…</source>
        <translation>差异报告 PDF…</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>消费次数</translation>
    </message>
    <message>
        <source>Wait until the running task finishes, or cancel it first.</source>
        <translation>请等待正在进行的任务完成，或先取消它。</translation>
    </message>
    <message>
        <source>Warn and ask</source>
        <translation>提醒并询问</translation>
    </message>
    <message>
        <source>Warn before expiry</source>
        <translation>临期提醒提前</translation>
    </message>
    <message>
        <source>Warning days</source>
        <translation>预警天数</translation>
    </message>
    <message>
        <source>Watch the stock</source>
        <translation>查看库存</translation>
    </message>
    <message>
        <source>WeChat</source>
        <translation>微信</translation>
    </message>
    <message>
        <source>WeChat Pay</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <source>WeChat, Alipay and card together ({paid}) are more than the amount due {due}</source>
        <translation>微信、支付宝和银行卡合计 {paid} 超过应收 {due}</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>周三</translation>
    </message>
    <message>
        <source>Week from</source>
        <translation>周起始日</translation>
    </message>
    <message>
        <source>Week of</source>
        <translation>周（起始日）</translation>
    </message>
    <message>
        <source>Weekdays</source>
        <translation>星期</translation>
    </message>
    <message>
        <source>Weekdays are the digits 0 (Monday) to 6 (Sunday)</source>
        <translation>星期用数字 0（周一）到 6（周日）表示</translation>
    </message>
    <message>
        <source>Weekdays are the digits 1 (Monday) to 7 (Sunday)</source>
        <translation>星期用数字 1（周一）到 7（周日）表示</translation>
    </message>
    <message>
        <source>Weeks ahead</source>
        <translation>预测周数</translation>
    </message>
    <message>
        <source>Weeks from today</source>
        <translation>距今周数</translation>
    </message>
    <message>
        <source>Welcome to JXC Desktop</source>
        <translation>欢迎使用进销存</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>经手人</translation>
    </message>
    <message>
        <source>Who opens the drawer must be named</source>
        <translation>必须写明是谁打开钱箱</translation>
    </message>
    <message>
        <source>Wholesale</source>
        <translation>批发</translation>
    </message>
    <message>
        <source>Wholesale note (销售单)</source>
        <translation>销售单</translation>
    </message>
    <message>
        <source>Wholesale price</source>
        <translation>批发价</translation>
    </message>
    <message>
        <source>Wholesale price (¥)</source>
        <translation>批发价（¥）</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Why (rounded away, bad debt…)</source>
        <translation>原因（抹零、坏账…）</translation>
    </message>
    <message>
        <source>Write off (核销/冲销)</source>
        <translation>核销/冲销</translation>
    </message>
    <message>
        <source>Write off (核销/冲销)…</source>
        <translation>核销/冲销…</translation>
    </message>
    <message>
        <source>Write off what a document leaves open</source>
        <translation>核销/冲销单据未结金额</translation>
    </message>
    <message>
        <source>Write-off</source>
        <translation>抹账</translation>
    </message>
    <message>
        <source>Writing PDF…</source>
        <translation>正在生成 PDF…</translation>
    </message>
    <message>
        <source>Writing the Excel file…</source>
        <translation>正在写入 Excel 文件…</translation>
    </message>
    <message>
        <source>Writing the PDF…</source>
        <translation>正在写入 PDF…</translation>
    </message>
    <message>
        <source>Written off</source>
        <translation>冲销（抹零、坏账）</translation>
    </message>
    <message>
        <source>Wrong PIN</source>
        <translation>密码错误</translation>
    </message>
    <message>
        <source>Wrong PIN ({left} tries left)</source>
        <translation>密码错误（还可以试 {left} 次）</translation>
    </message>
    <message>
        <source>Wrong cashier PIN</source>
        <translation>收银员密码错误</translation>
    </message>
    <message>
        <source>Wrong recovery code</source>
        <translation>恢复码错误</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>Year {year} is not a plausible year</source>
        <translation>{year} 不是有效的年份</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>Yes, write off the stock of {n} lines</source>
        <translation>确认核销这 {n} 行的库存</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <source>Yuan</source>
        <translation>元</translation>
    </message>
    <message>
        <source>a device or a pipe</source>
        <translation>设备或管道</translation>
    </message>
    <message>
        <source>agrees</source>
        <translation>一致</translation>
    </message>
    <message>
        <source>all products</source>
        <translation>全部商品</translation>
    </message>
    <message>
        <source>allocated {allocated}, kept as prepayment {prepayment}</source>
        <translation>已核销 {allocated}，作为预付款保留 {prepayment}</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>bad page size in the header</source>
        <translation>文件头中的页大小不对</translation>
    </message>
    <message>
        <source>balance {amount}</source>
        <translation>余额 {amount}</translation>
    </message>
    <message>
        <source>batch {batch} already sold</source>
        <translation>批次 {batch} 已售出</translation>
    </message>
    <message>
        <source>buy {n} pay {m}</source>
        <translation>买{n}付{m}</translation>
    </message>
    <message>
        <source>by hand</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <source>cashier</source>
        <translation>收银员</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>已修改</translation>
    </message>
    <message>
        <source>check digit</source>
        <translation>校验位</translation>
    </message>
    <message>
        <source>check of the {side}: {verdict}</source>
        <translation>{side}的检查：{verdict}</translation>
    </message>
    <message>
        <source>checking both databases</source>
        <translation>正在检查两边的数据库</translation>
    </message>
    <message>
        <source>copying: {done} of {total} rows</source>
        <translation>正在复制：{done} / {total} 行</translation>
    </message>
    <message>
        <source>count cancelled</source>
        <translation>已作废</translation>
    </message>
    <message>
        <source>count posted</source>
        <translation>已过账</translation>
    </message>
    <message>
        <source>counted as zero</source>
        <translation>按零处理</translation>
    </message>
    <message>
        <source>counting</source>
        <translation>盘点中</translation>
    </message>
    <message>
        <source>difference {diff}</source>
        <translation>差异 {diff}</translation>
    </message>
    <message>
        <source>digits</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <source>due on the day</source>
        <translation>当天到期</translation>
    </message>
    <message>
        <source>e.g. 26Q101</source>
        <translation>例如 26Q101</translation>
    </message>
    <message>
        <source>e.g. damaged packaging, wrong goods</source>
        <translation>例如：包装破损、送错货</translation>
    </message>
    <message>
        <source>e.g. 阳光便利店</source>
        <translation>例如：阳光便利店</translation>
    </message>
    <message>
        <source>empty = no limit</source>
        <translation>留空 = 不限</translation>
    </message>
    <message>
        <source>empty: made from the phone's last 4 digits</source>
        <translation>留空：按手机号后 4 位命名</translation>
    </message>
    <message>
        <source>empty: today</source>
        <translation>留空：今天</translation>
    </message>
    <message>
        <source>ends</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>expired {n} days ago</source>
        <translation>已过期 {n} 天</translation>
    </message>
    <message>
        <source>figure</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>gross profit, last 12 months</source>
        <translation>近 12 个月毛利</translation>
    </message>
    <message>
        <source>host:port, such as 192.168.1.50:9100</source>
        <translation>地址:端口，例如 192.168.1.50:9100</translation>
    </message>
    <message>
        <source>it holds another program's tables</source>
        <translation>其中是其他程序的数据表</translation>
    </message>
    <message>
        <source>it holds no shop data ({reason})</source>
        <translation>其中没有店铺数据（{reason}）</translation>
    </message>
    <message>
        <source>it is a folder</source>
        <translation>它是一个文件夹</translation>
    </message>
    <message>
        <source>it is marked as another program's file</source>
        <translation>文件标记为其他程序的文件</translation>
    </message>
    <message>
        <source>it is not a file</source>
        <translation>它不是一个文件</translation>
    </message>
    <message>
        <source>item {item}, price {amount}</source>
        <translation>货号 {item}，金额 {amount}</translation>
    </message>
    <message>
        <source>item {item}, weight {kg} kg</source>
        <translation>货号 {item}，重量 {kg} 千克</translation>
    </message>
    <message>
        <source>item {n} at {pct}%</source>
        <translation>第{n}件付{pct}%</translation>
    </message>
    <message>
        <source>its category's sales last year</source>
        <translation>所属分类去年的销量</translation>
    </message>
    <message>
        <source>its first bytes are not those of an SQLite file</source>
        <translation>文件开头不是 SQLite 数据库的格式</translation>
    </message>
    <message>
        <source>its own sales last year</source>
        <translation>该商品去年的销量</translation>
    </message>
    <message>
        <source>kept as prepayment {amount}</source>
        <translation>余 {amount} 记为预收/预付</translation>
    </message>
    <message>
        <source>kept as they were</source>
        <translation>保持不变</translation>
    </message>
    <message>
        <source>limit {amount}</source>
        <translation>额度 {amount}</translation>
    </message>
    <message>
        <source>member only</source>
        <translation>仅会员</translation>
    </message>
    <message>
        <source>member sales and visits, top members first; points and stored value outstanding</source>
        <translation>会员消费和次数，消费多的在前；未用积分和储值余额</translation>
    </message>
    <message>
        <source>members</source>
        <translation>会员</translation>
    </message>
    <message>
        <source>members' points</source>
        <translation>会员积分余额</translation>
    </message>
    <message>
        <source>members' stored value</source>
        <translation>会员储值余额</translation>
    </message>
    <message>
        <source>missing tables</source>
        <translation>缺少数据表</translation>
    </message>
    <message>
        <source>moved {rows} rows to {url} in {seconds:.1f} s</source>
        <translation>已把 {rows} 行迁移到 {url}，用时 {seconds:.1f} 秒</translation>
    </message>
    <message>
        <source>net sales, last 12 months</source>
        <translation>近 12 个月净销售额</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从不</translation>
    </message>
    <message>
        <source>no end</source>
        <translation>不结束</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>no schema revision recorded</source>
        <translation>没有记录结构版本</translation>
    </message>
    <message>
        <source>no tables</source>
        <translation>没有数据表</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>none (less than a year of history): the average of the last 4 weeks</source>
        <translation>无（历史不足一年）：取近 4 周平均</translation>
    </message>
    <message>
        <source>not a JXC Desktop database ({reason})</source>
        <translation>不是进销存数据库（{reason}）</translation>
    </message>
    <message>
        <source>not an SQLite file</source>
        <translation>不是 SQLite 数据库文件</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>open</source>
        <translation>未结</translation>
    </message>
    <message>
        <source>opened by hand</source>
        <translation>手动打开</translation>
    </message>
    <message>
        <source>or type the total counted</source>
        <translation>或直接输入点钞合计</translation>
    </message>
    <message>
        <source>overdue {amount}</source>
        <translation>逾期 {amount}</translation>
    </message>
    <message>
        <source>owed by customers</source>
        <translation>客户应收</translation>
    </message>
    <message>
        <source>owed to suppliers</source>
        <translation>应付供应商</translation>
    </message>
    <message>
        <source>owes {amount}</source>
        <translation>欠款 {amount}</translation>
    </message>
    <message>
        <source>owner</source>
        <translation>老板</translation>
    </message>
    <message>
        <source>pay %</source>
        <translation>付款%</translation>
    </message>
    <message>
        <source>posted</source>
        <translation>已入库</translation>
    </message>
    <message>
        <source>prepayment {amount}</source>
        <translation>预收/预付 {amount}</translation>
    </message>
    <message>
        <source>price (fen)</source>
        <translation>金额（分）</translation>
    </message>
    <message>
        <source>qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>repeat</source>
        <translation>每满</translation>
    </message>
    <message>
        <source>return</source>
        <translation>退货</translation>
    </message>
    <message>
        <source>reversal of {number}</source>
        <translation>红冲 {number}</translation>
    </message>
    <message>
        <source>reversal of {number}: goods already sold, difference corrected</source>
        <translation>红冲 {number}：货已售出，差额更正</translation>
    </message>
    <message>
        <source>reversed</source>
        <translation>已红冲</translation>
    </message>
    <message>
        <source>sale</source>
        <translation>销售</translation>
    </message>
    <message>
        <source>saved {amount}</source>
        <translation>省 {amount}</translation>
    </message>
    <message>
        <source>schema on the server</source>
        <translation>在服务器上建立表结构</translation>
    </message>
    <message>
        <source>server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>set</source>
        <translation>已设置</translation>
    </message>
    <message>
        <source>stackable</source>
        <translation>可叠加</translation>
    </message>
    <message>
        <source>starts</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>stock value</source>
        <translation>库存金额</translation>
    </message>
    <message>
        <source>table {table}: {file} rows in the file, {server} on the server</source>
        <translation>表 {table}：文件中 {file} 行，服务器上 {server} 行</translation>
    </message>
    <message>
        <source>the USB library (libusb) is not installed</source>
        <translation>没有安装 USB 驱动库（libusb）</translation>
    </message>
    <message>
        <source>the document</source>
        <translation>文档</translation>
    </message>
    <message>
        <source>the file is truncated</source>
        <translation>文件被截断了</translation>
    </message>
    <message>
        <source>the file name is too long</source>
        <translation>文件名太长</translation>
    </message>
    <message>
        <source>the folder does not exist</source>
        <translation>文件夹不存在</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>vendor:product, such as 0416:5011</source>
        <translation>厂商号:产品号，例如 0416:5011</translation>
    </message>
    <message>
        <source>weight (g)</source>
        <translation>重量（克）</translation>
    </message>
    <message>
        <source>whole order</source>
        <translation>整单</translation>
    </message>
    <message>
        <source>written by a newer version of JXC Desktop (schema {revision}); this version cannot check its books</source>
        <translation>由更新版本的进销存写入（结构版本 {revision}）；本版本无法核对其账目</translation>
    </message>
    <message>
        <source>{amount} of {number} written off</source>
        <translation>已核销 {number} 的 {amount}</translation>
    </message>
    <message>
        <source>{batch}  expires {expiry}  counted {counted}</source>
        <translation>{batch}  到期 {expiry}  已盘 {counted}</translation>
    </message>
    <message>
        <source>{cls}: {n} products, {value}</source>
        <translation>{cls} 类：{n} 个商品，{value}</translation>
    </message>
    <message>
        <source>{code} has no colour × size switched on</source>
        <translation>{code} 没有启用的颜色尺码</translation>
    </message>
    <message>
        <source>{code} is not a scale label under these rules</source>
        <translation>按这些规则，{code} 不是秤码</translation>
    </message>
    <message>
        <source>{code} {name}  Retail {price}  (type a quantity in each cell; Tab moves on)</source>
        <translation>{code} {name}  零售价 {price}（在每格输入数量；Tab 跳到下一格）</translation>
    </message>
    <message>
        <source>{code} {name}  {season}  {brand}  Retail {price}  Stock {qty}</source>
        <translation>{code} {name}  {season}  {brand}  零售价 {price}  库存 {qty}</translation>
    </message>
    <message>
        <source>{code} → {meaning}</source>
        <translation>{code} → {meaning}</translation>
    </message>
    <message>
        <source>{code}: {n} lines by colour and size</source>
        <translation>{code}：按颜色尺码录入 {n} 行</translation>
    </message>
    <message>
        <source>{code}: {n} sizes counted, {qty} in all</source>
        <translation>{code}：已盘 {n} 个颜色尺码，共 {qty}</translation>
    </message>
    <message>
        <source>{colour}/{size} of style {code} is another product already</source>
        <translation>款式 {code} 的 {colour}/{size} 已是另一个商品</translation>
    </message>
    <message>
        <source>{colour}/{size} of style {code} repeats row {other}</source>
        <translation>款式 {code} 的 {colour}/{size} 与第 {other} 行重复</translation>
    </message>
    <message>
        <source>{count} entries</source>
        <translation>共 {count} 条</translation>
    </message>
    <message>
        <source>{count} in-store barcodes made; {kept} products already had one</source>
        <translation>已生成 {count} 个店内码；{kept} 个商品已有条码</translation>
    </message>
    <message>
        <source>{count} labels written to {path}</source>
        <translation>已写入 {count} 张标签到 {path}</translation>
    </message>
    <message>
        <source>{count} problems</source>
        <translation>{count} 个问题</translation>
    </message>
    <message>
        <source>{count} problems found</source>
        <translation>发现 {count} 个问题</translation>
    </message>
    <message>
        <source>{count} products</source>
        <translation>{count} 个商品</translation>
    </message>
    <message>
        <source>{count} products match</source>
        <translation>找到 {count} 个商品</translation>
    </message>
    <message>
        <source>{count} products were written to {path}</source>
        <translation>已将 {count} 个商品写入 {path}</translation>
    </message>
    <message>
        <source>{count} products written to {path}</source>
        <translation>已将 {count} 个商品写入 {path}</translation>
    </message>
    <message>
        <source>{count} rows of the file are wrong; nothing was imported</source>
        <translation>文件中有 {count} 行有错误，没有导入任何数据</translation>
    </message>
    <message>
        <source>{credit} is dated before {debit}</source>
        <translation>{credit} 的日期早于 {debit}</translation>
    </message>
    <message>
        <source>{debit} ← {credit}: {amount}</source>
        <translation>{debit} ← {credit}：{amount}</translation>
    </message>
    <message>
        <source>{field} cannot be cleared</source>
        <translation>{field}不能清空</translation>
    </message>
    <message>
        <source>{field} holds control characters</source>
        <translation>{field}含有控制字符</translation>
    </message>
    <message>
        <source>{field} is longer than {limit} characters</source>
        <translation>{field}不能超过 {limit} 个字符</translation>
    </message>
    <message>
        <source>{field} is not an amount of money</source>
        <translation>{field}不是有效的金额</translation>
    </message>
    <message>
        <source>{field} is not text</source>
        <translation>{field}不是文本</translation>
    </message>
    <message>
        <source>{field} is required</source>
        <translation>请填写{field}</translation>
    </message>
    <message>
        <source>{field} is too large</source>
        <translation>{field}太大</translation>
    </message>
    <message>
        <source>{field} must be a whole number from {low} to {high}</source>
        <translation>{field}须为 {low} 到 {high} 之间的整数</translation>
    </message>
    <message>
        <source>{field} must be an amount from 0</source>
        <translation>{field}必须是不小于 0 的金额</translation>
    </message>
    <message>
        <source>{field} must be an amount in yuan</source>
        <translation>{field}须为以元计的金额</translation>
    </message>
    <message>
        <source>{field} must be between 0 and {limit}</source>
        <translation>{field}必须在 0 到 {limit} 之间</translation>
    </message>
    <message>
        <source>{field} must be greater than zero</source>
        <translation>{field}必须大于零</translation>
    </message>
    <message>
        <source>{field} must be more than zero</source>
        <translation>{field}必须大于零</translation>
    </message>
    <message>
        <source>{field} must not be negative</source>
        <translation>{field}不能为负数</translation>
    </message>
    <message>
        <source>{field}: '{value}' has a decimal comma, but this column also has numbers with a decimal point; write {fixed}</source>
        <translation>{field}：“{value}”用逗号作小数点，但这一列其他数字用的是小数点；请写成 {fixed}</translation>
    </message>
    <message>
        <source>{field}: '{value}' is ambiguous (a thousands separator or a decimal mark?); write {one} or {other}</source>
        <translation>{field}：“{value}”有歧义（逗号或点是千位分隔符还是小数点？）；请写成 {one} 或 {other}</translation>
    </message>
    <message>
        <source>{field}: '{value}' is neither 是 nor 否</source>
        <translation>{field}：“{value}”既不是“是”也不是“否”</translation>
    </message>
    <message>
        <source>{field}: '{value}' is not a date (YYYY-MM-DD)</source>
        <translation>{field}：“{value}”不是日期（YYYY-MM-DD）</translation>
    </message>
    <message>
        <source>{field}: '{value}' is not a date and time</source>
        <translation>{field}：“{value}”不是日期时间</translation>
    </message>
    <message>
        <source>{field}: '{value}' is not a number</source>
        <translation>{field}：“{value}”不是数字</translation>
    </message>
    <message>
        <source>{field}: '{value}' is not a quantity</source>
        <translation>{field}：“{value}”不是有效的数量</translation>
    </message>
    <message>
        <source>{field}: '{value}' is not a time of day (HH:MM)</source>
        <translation>{field}：“{value}”不是时间（时:分）</translation>
    </message>
    <message>
        <source>{field}: '{value}' is not a whole number</source>
        <translation>{field}：“{value}”不是整数</translation>
    </message>
    <message>
        <source>{field}: '{value}' is not an amount of money</source>
        <translation>{field}：“{value}”不是有效的金额</translation>
    </message>
    <message>
        <source>{field}: '{value}' is not yes/no (是/否)</source>
        <translation>{field}：“{value}”不是“是/否”</translation>
    </message>
    <message>
        <source>{first} + {more} more</source>
        <translation>{first} 等（另有 {more} 行）</translation>
    </message>
    <message>
        <source>{key} is too long or holds control characters</source>
        <translation>{key} 太长或含有控制字符</translation>
    </message>
    <message>
        <source>{key} must be a whole number from {lo} to {hi}</source>
        <translation>{key} 必须是 {lo} 到 {hi} 之间的整数</translation>
    </message>
    <message>
        <source>{key}: '{value}' is not one of the allowed values</source>
        <translation>{key}：“{value}”不是允许的取值</translation>
    </message>
    <message>
        <source>{labels} labels on {pages} pages</source>
        <translation>共 {labels} 张标签，{pages} 页</translation>
    </message>
    <message>
        <source>{level} {price}, retail {retail}</source>
        <translation>{level} {price}，零售价 {retail}</translation>
    </message>
    <message>
        <source>{level}, retail {price}</source>
        <translation>{level}，原价 {price}</translation>
    </message>
    <message>
        <source>{lines} lines: {counted} counted, {uncounted} not counted</source>
        <translation>共 {lines} 行：已盘 {counted} 行，未盘 {uncounted} 行</translation>
    </message>
    <message>
        <source>{method} received</source>
        <translation>{method}实收</translation>
    </message>
    <message>
        <source>{name}  {qty} × {price}</source>
        <translation>{name}  {qty} × {price}</translation>
    </message>
    <message>
        <source>{name}  {qty} × {price} = {amount}</source>
        <translation>{name}  {qty} × {price} = {amount}</translation>
    </message>
    <message>
        <source>{name} (in stock {on_hand}, selling {wanted})</source>
        <translation>{name}（库存 {on_hand}，本单 {wanted}）</translation>
    </message>
    <message>
        <source>{name} (inactive)</source>
        <translation>{name}（已停用）</translation>
    </message>
    <message>
        <source>{name} (not found)</source>
        <translation>{name}（未找到）</translation>
    </message>
    <message>
        <source>{name} at {price}</source>
        <translation>{name}，单价 {price}</translation>
    </message>
    <message>
        <source>{name} does not track batches</source>
        <translation>{name} 未启用批次管理</translation>
    </message>
    <message>
        <source>{name} has documents and cannot be deleted; deactivate the customer instead</source>
        <translation>{name} 已有单据，不能删除；请改为停用该客户</translation>
    </message>
    <message>
        <source>{name} has no batch {batch}</source>
        <translation>{name}没有批号 {batch}</translation>
    </message>
    <message>
        <source>{name} has no sale price; a price label cannot be sold</source>
        <translation>{name} 没有售价，不能按金额秤码销售</translation>
    </message>
    <message>
        <source>{name} has only {credit} of credit to refund</source>
        <translation>{name} 只有 {credit} 的贷项可退</translation>
    </message>
    <message>
        <source>{name} has stock history; deactivate it instead</source>
        <translation>“{name}”已有库存记录，不能删除，请改为停用</translation>
    </message>
    <message>
        <source>{name} holds {held} points: {wanted} cannot be taken</source>
        <translation>{name} 只有 {held} 积分，不能扣除 {wanted}</translation>
    </message>
    <message>
        <source>{name} inside the file is compressed {ratio} to 1, far more than any spreadsheet; the file is refused</source>
        <translation>文件中的 {name} 压缩比为 {ratio} 比 1，远超任何电子表格；拒绝读取此文件</translation>
    </message>
    <message>
        <source>{name} inside the file is encrypted or compressed in a way spreadsheets do not use</source>
        <translation>文件中的 {name} 已加密，或使用了电子表格不用的压缩方式</translation>
    </message>
    <message>
        <source>{name} inside the file would unpack to {size} MB (at most {limit} MB); it is not an ordinary spreadsheet</source>
        <translation>文件中的 {name} 解压后有 {size} MB（最多 {limit} MB）；这不是普通的电子表格</translation>
    </message>
    <message>
        <source>{name} is already in count {number}</source>
        <translation>{name} 已在盘点单 {number} 中</translation>
    </message>
    <message>
        <source>{name} is already in open count {number}; post or cancel that count first</source>
        <translation>{name} 已在未完成的盘点单 {number} 中，请先过账或作废该盘点单</translation>
    </message>
    <message>
        <source>{name} is already on the staff list</source>
        <translation>{name} 已在员工名单中</translation>
    </message>
    <message>
        <source>{name} is counted per batch: choose the batch</source>
        <translation>{name} 按批次盘点：请选择批次</translation>
    </message>
    <message>
        <source>{name} is counted per batch: count it line by line</source>
        <translation>{name} 按批次盘点：请逐行盘点</translation>
    </message>
    <message>
        <source>{name} is counted per batch: the row needs a batch</source>
        <translation>{name} 按批次盘点：该行需要填写批号</translation>
    </message>
    <message>
        <source>{name} is deactivated</source>
        <translation>{name}已停用</translation>
    </message>
    <message>
        <source>{name} is deactivated and cannot be a sale's member</source>
        <translation>{name} 已停用，不能作为本单会员</translation>
    </message>
    <message>
        <source>{name} is deactivated and cannot be sold</source>
        <translation>{name} 已停用，不能销售</translation>
    </message>
    <message>
        <source>{name} is deactivated; bring it back before buying it</source>
        <translation>{name}已停用；请先恢复启用再进货</translation>
    </message>
    <message>
        <source>{name} is not in count {number}</source>
        <translation>{name} 不在盘点单 {number} 中</translation>
    </message>
    <message>
        <source>{name} is not in count {number}. Add it to this count?</source>
        <translation>{name} 不在盘点单 {number} 中。要加入本盘点单吗？</translation>
    </message>
    <message>
        <source>{name} is not on note {number}</source>
        <translation>{name}不在单据 {number} 上</translation>
    </message>
    <message>
        <source>{name} signed in</source>
        <translation>{name} 已签到</translation>
    </message>
    <message>
        <source>{name} signed out</source>
        <translation>{name} 已签退</translation>
    </message>
    <message>
        <source>{name} tracks batches: enter the batch number</source>
        <translation>{name}按批次管理：请填写批号</translation>
    </message>
    <message>
        <source>{name} will owe {amount}</source>
        <translation>{name} 将欠款 {amount}</translation>
    </message>
    <message>
        <source>{name} would owe {balance}, above the credit limit {limit}: the owner must approve</source>
        <translation>{name} 将欠 {balance}，超过信用额度 {limit}：需要老板批准</translation>
    </message>
    <message>
        <source>{name} — {n} products</source>
        <translation>{name} —— {n} 种商品</translation>
    </message>
    <message>
        <source>{name}'s stored value is {balance}: {wanted} cannot be paid from it</source>
        <translation>{name} 的储值余额为 {balance}，不能支付 {wanted}</translation>
    </message>
    <message>
        <source>{name}, imported from {file}</source>
        <translation>{name}，从 {file} 导入</translation>
    </message>
    <message>
        <source>{name}: at most {max} can still be returned (sold {sold})</source>
        <translation>{name}：最多还能退 {max}（原售 {sold}）</translation>
    </message>
    <message>
        <source>{name}: at most {qty} can still be returned against {number}</source>
        <translation>{name}：单据 {number} 最多还能退 {qty}</translation>
    </message>
    <message>
        <source>{name}: batch {batch} is already on file with expiry {expiry}</source>
        <translation>{name}：批号 {batch} 已存在，有效期为 {expiry}</translation>
    </message>
    <message>
        <source>{name}: expiry {expiry} is already past</source>
        <translation>{name}：有效期 {expiry} 已过</translation>
    </message>
    <message>
        <source>{name}: expiry {expiry} is before production {production}</source>
        <translation>{name}：有效期 {expiry} 早于生产日期 {production}</translation>
    </message>
    <message>
        <source>{name}: only {available} not expired; expired batches may not be sold. Take them off the shelf or record a loss.</source>
        <translation>{name}：未过期的只有 {available}；过期批次禁止销售。请下架或报损。</translation>
    </message>
    <message>
        <source>{name}: only {qty} in stock. The shop does not sell below zero stock.</source>
        <translation>{name}：库存只有 {qty}。本店设置为不允许负库存销售。</translation>
    </message>
    <message>
        <source>{name}: only {qty} in stock; selling it takes the stock below zero.</source>
        <translation>{name}：库存只有 {qty}，卖出后库存将变为负数。</translation>
    </message>
    <message>
        <source>{name}: opening balance {amount} on {day}</source>
        <translation>{name}：{day} 期初余额 {amount}</translation>
    </message>
    <message>
        <source>{name}: points and stored value</source>
        <translation>{name}：积分与储值</translation>
    </message>
    <message>
        <source>{name}: production date {production} is in the future</source>
        <translation>{name}：生产日期 {production} 在将来</translation>
    </message>
    <message>
        <source>{name}: stored value {amount}</source>
        <translation>{name}：储值 {amount}</translation>
    </message>
    <message>
        <source>{name}: the cost is not a whole number of fen</source>
        <translation>{name}：成本不是有效金额（须为整数分）</translation>
    </message>
    <message>
        <source>{name}: the cost is too large</source>
        <translation>{name}：金额太大</translation>
    </message>
    <message>
        <source>{name}: the line amount must not be negative</source>
        <translation>{name}：行金额不能为负数</translation>
    </message>
    <message>
        <source>{name}: the quantity is not a whole number of thousandths</source>
        <translation>{name}：数量不是有效数字（须为整数，以千分之一单位计）</translation>
    </message>
    <message>
        <source>{name}: the quantity is too large</source>
        <translation>{name}：数量太大</translation>
    </message>
    <message>
        <source>{name}: the quantity must be greater than zero</source>
        <translation>{name}：数量必须大于零</translation>
    </message>
    <message>
        <source>{name}: the return price must be zero or more</source>
        <translation>{name}：退货单价必须大于或等于零</translation>
    </message>
    <message>
        <source>{name}: the unit cost must not be negative</source>
        <translation>{name}：单价不能为负数</translation>
    </message>
    <message>
        <source>{name}: {packs} × {pack} = {qty} {unit} at {cost}</source>
        <translation>{name}：{packs} × {pack} = {qty} {unit}，单价 {cost}</translation>
    </message>
    <message>
        <source>{name}{batch}: counted {qty} {unit}</source>
        <translation>{name}{batch}：已盘 {qty} {unit}</translation>
    </message>
    <message>
        <source>{name}{spec}  [{code}]  {price}  stock {stock}</source>
        <translation>{name}{spec}  [{code}]  {price}  库存 {stock}</translation>
    </message>
    <message>
        <source>{number}  {time}
{lines}
Total {total}</source>
        <translation>{number}  {time}
{lines}
合计 {total}</translation>
    </message>
    <message>
        <source>{number} belongs to another party</source>
        <translation>{number} 属于另一个往来方</translation>
    </message>
    <message>
        <source>{number} belongs to another party, not {name}</source>
        <translation>{number} 属于另一个往来方，不是 {name}</translation>
    </message>
    <message>
        <source>{number} has no allocation to undo</source>
        <translation>{number} 没有可撤销的核销</translation>
    </message>
    <message>
        <source>{number} has only {open} left to allocate</source>
        <translation>{number} 只剩 {open} 可核销</translation>
    </message>
    <message>
        <source>{number} has only {open} open</source>
        <translation>{number} 只剩 {open} 未结</translation>
    </message>
    <message>
        <source>{number} is a return, not a sale</source>
        <translation>{number} 是退货单，不是销售单</translation>
    </message>
    <message>
        <source>{number} is dated {doc}, after this payment ({day})</source>
        <translation>{number} 的日期是 {doc}，晚于本次付款（{day}）</translation>
    </message>
    <message>
        <source>{number} is dated {doc}, after this write-off ({day})</source>
        <translation>{number} 的日期是 {doc}，晚于本次抹账（{day}）</translation>
    </message>
    <message>
        <source>{number} is not a wholesale note</source>
        <translation>{number} 不是销售单</translation>
    </message>
    <message>
        <source>{number} is settled: nothing open to write off</source>
        <translation>{number} 已结清：没有可核销的金额</translation>
    </message>
    <message>
        <source>{number} posted: gain {gain}, loss {loss}</source>
        <translation>{number} 已过账：盘盈 {gain}，盘亏 {loss}</translation>
    </message>
    <message>
        <source>{number} · {scope} · {when} · {status}</source>
        <translation>{number} · {scope} · {when} · {status}</translation>
    </message>
    <message>
        <source>{number} · {scope} · {when} · {status} ({counted}/{lines})</source>
        <translation>{number} · {scope} · {when} · {status}（{counted}/{lines}）</translation>
    </message>
    <message>
        <source>{number}: {amount} open</source>
        <translation>{number}：未结 {amount}</translation>
    </message>
    <message>
        <source>{number}: {amount}, settled {allocated}</source>
        <translation>{number}：{amount}，已核销 {allocated}</translation>
    </message>
    <message>
        <source>{number}: {credit} on {name}'s account; {name} owes {balance}.</source>
        <translation>{number}：{credit} 记入 {name} 的账（挂账）；{name} 累计欠款 {balance}。</translation>
    </message>
    <message>
        <source>{n} allocations of {number} undone</source>
        <translation>已撤销 {number} 的 {n} 笔核销</translation>
    </message>
    <message>
        <source>{n} batches expire within {days} days</source>
        <translation>{n} 个批次将在 {days} 天内过期</translation>
    </message>
    <message>
        <source>{n} batches expired</source>
        <translation>{n} 个批次已过期</translation>
    </message>
    <message>
        <source>{n} days</source>
        <translation>{n} 天</translation>
    </message>
    <message>
        <source>{n} held sale(s) are still open. Close the shift anyway? They stay held for the next shift.</source>
        <translation>还有 {n} 张挂单未处理。仍然交班吗？挂单会留给下一班。</translation>
    </message>
    <message>
        <source>{n} lines  Total {total}</source>
        <translation>{n} 行  合计 {total}</translation>
    </message>
    <message>
        <source>{n} lines read from the file.</source>
        <translation>已从文件读入 {n} 行。</translation>
    </message>
    <message>
        <source>{n} lines were not counted:</source>
        <translation>有 {n} 行未盘：</translation>
    </message>
    <message>
        <source>{n} members hold {points} points and {amount} stored value</source>
        <translation>{n} 位会员共有积分 {points}，储值 {amount}</translation>
    </message>
    <message>
        <source>{n} members match: choose one with ↑↓ and Enter</source>
        <translation>有 {n} 位会员符合：用 ↑↓ 选择后按回车</translation>
    </message>
    <message>
        <source>{n} more rows are summed in the line before the total</source>
        <translation>另有 {n} 行已汇总在合计上一行</translation>
    </message>
    <message>
        <source>{n} notes; purchased {bought}, returned {returned} (posted)</source>
        <translation>{n} 张单据；进货 {bought}，退货 {returned}（已入库）</translation>
    </message>
    <message>
        <source>{n} products (one per colour and size)</source>
        <translation>{n} 个商品（每个颜色尺码一个）</translation>
    </message>
    <message>
        <source>{n} products below minimum</source>
        <translation>{n} 个商品低于库存下限</translation>
    </message>
    <message>
        <source>{n} products to order from {s} suppliers</source>
        <translation>共 {n} 种商品，来自 {s} 家供应商</translation>
    </message>
    <message>
        <source>{n} products · total value {value}</source>
        <translation>{n} 个商品 · 库存总金额 {value}</translation>
    </message>
    <message>
        <source>{n} rows of the file are wrong; nothing was imported</source>
        <translation>文件中有 {n} 行有误，未导入任何数据</translation>
    </message>
    <message>
        <source>{n} shift(s) still open</source>
        <translation>还有 {n} 个班次未交班</translation>
    </message>
    <message>
        <source>{n} styles</source>
        <translation>{n} 个款式</translation>
    </message>
    <message>
        <source>{n} styles written to {path}</source>
        <translation>已将 {n} 个款式写入 {path}</translation>
    </message>
    <message>
        <source>{off} off every {spend}</source>
        <translation>每满{spend}减{off}</translation>
    </message>
    <message>
        <source>{off} off from {spend}</source>
        <translation>满{spend}减{off}</translation>
    </message>
    <message>
        <source>{path} already exists; choose another name.</source>
        <translation>{path} 已存在，请换一个名字。</translation>
    </message>
    <message>
        <source>{path} holds no shop data.</source>
        <translation>{path} 中没有店铺数据。</translation>
    </message>
    <message>
        <source>{path} is a backup of another shop, not of this one ({data}); nothing was restored.</source>
        <translation>{path} 是另一个店铺的备份，不是本店（{data}）的；没有恢复任何内容。</translation>
    </message>
    <message>
        <source>{path} is a folder; give a file name</source>
        <translation>{path} 是文件夹，请给出文件名</translation>
    </message>
    <message>
        <source>{path} is in use: JXC Desktop is open on it, or another program is reading or writing it. Close it and try again.</source>
        <translation>{path} 正在使用中：JXC Desktop 已打开它，或有其他程序正在读写它。请先关闭后再试。</translation>
    </message>
    <message>
        <source>{path} is not a JXC Desktop database ({reason}). It was not opened or changed. Choose another file or restore a backup.</source>
        <translation>{path} 不是进销存数据库（{reason}）。程序没有打开或修改它。请选择其他文件或恢复备份。</translation>
    </message>
    <message>
        <source>{path} is not a JXC Desktop database: it belongs to another program ({reason}). It was not opened or changed. Choose another file or restore a backup.</source>
        <translation>{path} 不是进销存数据库：它属于其他程序（{reason}）。程序没有打开或修改它。请选择其他文件或恢复备份。</translation>
    </message>
    <message>
        <source>{path} is not a JXC Desktop database: it is not a database file at all ({reason}). It was not opened or changed. Choose another file or restore a backup.</source>
        <translation>{path} 不是进销存数据库：它根本不是数据库文件（{reason}）。程序没有打开或修改它。请选择其他文件或恢复备份。</translation>
    </message>
    <message>
        <source>{path} is not a JXC database file (it holds other tables).</source>
        <translation>{path} 不是进销存的数据文件（其中有其他数据表）。</translation>
    </message>
    <message>
        <source>{path} is not a JXC database file ({reason}).</source>
        <translation>{path} 不是进销存的数据文件（{reason}）。</translation>
    </message>
    <message>
        <source>{path} is not a backup of a server database (a pg_dump archive).</source>
        <translation>{path} 不是服务器数据库的备份（pg_dump 归档）。</translation>
    </message>
    <message>
        <source>{path} is not an ordinary file (it is a device or a pipe)</source>
        <translation>{path} 不是普通文件（而是设备或管道）</translation>
    </message>
    <message>
        <source>{path} was written by a newer version of JXC Desktop (schema {revision}). Install that version to open it, or restore a backup.</source>
        <translation>{path} 是由更新版本的进销存写入的（结构版本 {revision}）。请安装该版本后再打开，或恢复备份。</translation>
    </message>
    <message>
        <source>{path} was written by a newer version of JXC Desktop (schema {revision}). Install the newer version to open it.</source>
        <translation>{path} 是由更新版本的进销存写入的（数据结构 {revision}）。请安装新版本后再打开。</translation>
    </message>
    <message>
        <source>{pattern}{kept} · e.g. {example} → {meaning}</source>
        <translation>{pattern}{kept} · 例：{example} → {meaning}</translation>
    </message>
    <message>
        <source>{points} points = {amount}</source>
        <translation>{points} 积分 = {amount}</translation>
    </message>
    <message>
        <source>{reason}

Nothing was changed in the file.</source>
        <translation>{reason}

文件没有被改动。</translation>
    </message>
    <message>
        <source>{reason}. Apply it anyway?</source>
        <translation>{reason}。仍然使用这个优惠？</translation>
    </message>
    <message>
        <source>{sold}, taken from batch {other}</source>
        <translation>{sold}，从批次 {other} 扣减</translation>
    </message>
    <message>
        <source>{sold}, taken from stock in no batch</source>
        <translation>{sold}，从无批次库存扣减</translation>
    </message>
    <message>
        <source>{timed} of {rows} rows have a scan time ({first} – {last}); the others were counted at the time above.</source>
        <translation>{rows} 行中有 {timed} 行带扫描时间（{first} – {last}）；其余各行按上面的时间盘点。</translation>
    </message>
    <message>
        <source>{time}  {lines} lines  {amount}  {label}</source>
        <translation>{time}  {lines} 行  {amount}  {label}</translation>
    </message>
    <message>
        <source>{tool} was not found: install the PostgreSQL client programs (Debian: apt install postgresql-client) or set JXC_PG_BINDIR to their folder.</source>
        <translation>找不到 {tool}：请安装 PostgreSQL 客户端程序（Debian：apt install postgresql-client），或把 JXC_PG_BINDIR 设为其所在文件夹。</translation>
    </message>
    <message>
        <source>{value} is not a note or coin of the count</source>
        <translation>{value} 不是可清点的面额</translation>
    </message>
    <message>
        <source>{what} by colour and size</source>
        <translation>颜色尺码{what}</translation>
    </message>
    <message>
        <source>{what} of {url} failed: {reason}</source>
        <translation>{url} 的 {what} 失败：{reason}</translation>
    </message>
    <message>
        <source>{which} {n} of {total} rows by {field}; the total covers all rows</source>
        <translation>按{field}排{which} {n} 行（共 {total} 行）；合计包含全部行</translation>
    </message>
    <message>
        <source>— enter its batch number and expiry date</source>
        <translation>—— 请填写批号和有效期</translation>
    </message>
    <message>
        <source>… and {count} more</source>
        <translation>…… 还有 {count} 行</translation>
    </message>
    <message>
        <source>⚠ The data file is damaged: nothing can be saved. Restore a backup (File → Restore).</source>
        <translation>⚠ 数据文件已损坏：无法保存。请恢复备份（文件 → 恢复）。</translation>
    </message>
    <message>
        <source>⚠ The owner PIN was removed at the command line without the recovery code on {when} ({reason}). If the owner did not do this, someone else may have. Set a new PIN, then acknowledge.</source>
        <translation>⚠ 老板密码已于 {when} 在命令行中未使用恢复码被清除（{reason}）。如果不是老板本人操作，可能是他人所为。请设置新密码后再确认。</translation>
    </message>
    <message>
        <source>⚠ This is a backup of ANOTHER shop file, not of this one. Restoring it replaces this shop's data with the other shop's.</source>
        <translation>⚠ 这是【另一个店铺】文件的备份，不是本店的。恢复它会用另一个店铺的数据替换本店的数据。</translation>
    </message>
    <message>
        <source>⚠ This is a backup of another shop file, not of this one.</source>
        <translation>⚠ 这是另一个店铺文件的备份，不是本店的。</translation>
    </message>
    <message>
        <source>⚠ {text} — back up now (File → Back up now)</source>
        <translation>⚠ {text} — 请立即备份（文件 → 立即备份）</translation>
    </message>
    <message>
        <source>⚠ {text} — today's work is not backed up yet</source>
        <translation>⚠ {text} — 今天的营业还没有备份</translation>
    </message>
</context>
</TS>
