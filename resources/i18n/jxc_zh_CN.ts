<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>jxc</name>
    <message>
        <source>Cannot do that</source>
        <translation>无法完成操作</translation>
    </message>
    <message>
        <source>Please confirm</source>
        <translation>请确认</translation>
    </message>
    <message>
        <source>Scan a barcode, or type pinyin initials, name or code</source>
        <translation>扫描条码，或输入拼音首字母、品名或货号</translation>
    </message>
    <message>
        <source>Unexpected error: {error}</source>
        <translation>意外错误：{error}</translation>
    </message>
    <message>
        <source>{name}{spec}  [{code}]  {price}  stock {stock}</source>
        <translation>{name}{spec}  [{code}]  {price}  库存 {stock}</translation>
    </message>
</context>
</TS>
