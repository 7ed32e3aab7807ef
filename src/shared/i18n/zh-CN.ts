import type { Catalog } from './en';

/** Simplified Chinese. Typed as the English catalog, so a missing or extra key fails typecheck too. */
export const zhCN: Catalog = {
  "common": {
    "cancel": "取消",
    "close": "关闭",
    "open": "打开",
    "create": "创建",
    "save": "保存",
    "delete": "删除",
    "rename": "重命名",
    "add": "添加",
    "apply": "应用",
    "import": "导入",
    "export": "导出",
    "loading": "正在加载…",
    "starting": "正在开始…",
    "dismiss": "关闭提示",
    "none": "无",
    "back": "上一步",
    "next": "下一步",
    "yes": "是",
    "no": "否",
    "language": "语言"
  },
  "shell": {
    "sections": "栏目",
    "routes": {
      "data": "数据",
      "transcripts": "访谈记录",
      "participants": "受访者",
      "codebook": "编码表",
      "suggestions": "建议",
      "tables": "表格",
      "exports": "导出"
    },
    "shortcut": "{{label}}（Alt+{{key}}）",
    "closeProject": "关闭项目",
    "projectFile": "项目文件",
    "counts": "{{datasets}} 个数据集 · {{respondents}} 名答卷人 · {{documents}} 份文档 · {{codes}} 个编码 · {{quotes}} 条引文",
    "schema": "结构版本 {{version}}",
    "fatal": "Fieldbook 无法连接其核心：{{message}}",
    "startingApp": "正在启动 Fieldbook…",
    "settings": "设置",
    "languageHint": "界面语言。您的数据不会被翻译。"
  },
  "undo": {
    "undone": "已撤销：{{label}}",
    "redone": "已重做：{{label}}",
    "nothingUndo": "没有可撤销的操作。",
    "nothingRedo": "没有可重做的操作。",
    "undoNamed": "撤销 {{label}}",
    "redoNamed": "重做 {{label}}",
    "undoPlain": "撤销",
    "redoPlain": "重做",
    "confirmTitle": "撤销此更改？",
    "confirmText": "Ctrl+Z 将撤销：{{label}}",
    "confirmElsewhere": "此更改是在其他页面上做出的。"
  },
  "start": {
    "lead": "问卷表格、访谈引文和报告的证据，都在您电脑上的一个文件里。",
    "newProject": "新建项目…",
    "openProject": "打开项目…",
    "openSample": "打开示例研究",
    "buildingSample": "正在构建示例研究",
    "recent": "最近的项目",
    "recentEmpty": "您打开的项目会显示在这里。",
    "missing": "找不到：{{path}}",
    "notFound": "找不到文件",
    "newTitle": "新建项目",
    "openTitle": "打开项目",
    "projectKind": "Fieldbook 项目",
    "defaultName": "我的研究",
    "projectName": "项目名称",
    "folder": "文件夹",
    "folderHint": "项目将保存为 {{file}}",
    "pathLabel": ".fieldbook 文件的路径",
    "pathHint": "文件保留在原处；Fieldbook 直接在其上工作。"
  },
  "ui": {
    "progressStarting": "正在开始…"
  }
};
