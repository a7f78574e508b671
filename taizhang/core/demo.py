"""The demo district 秦川区 (宝原市, both fictional): one ledger year, replayed.

``demo_build()`` opens the year's ledger in January ("年初建台账") and then replays
the weeks up to today: weekly progress reports (some late, some missing lately),
milestones met or missed, whistles raised, answered, resolved or escalated, the
last three months' supervision notices (issued, answered, closed — when the
supervision module is installed), a few edits. Every write goes through the real services, so the history, the stored
statuses and the notifications are the ones the product would have produced.

Why a simulated clock: services stamp some rows with the time of writing
(``ItemEvent.at``, ``created_at``) and compute statuses "as of today". To make a
report filed in July read as filed in July — and its status change happen in July —
each replayed step runs with ``django.utils.timezone.now`` set to the step's moment
(see ``_clock``), besides the explicit ``now=`` the services accept. The clock is
restored after each step; at the end, statuses are recomputed for the real today.
The clock is process-wide: run the build from a command (``demo_load``), never
inside a serving process.

The build is deterministic (fixed seed) and runs in one transaction: a failure
leaves no half-built district behind.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
import unicodedata
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.module_loading import import_string

from taizhang.core.calendar import today as local_today
from taizhang.core.calendar import work_calendar
from taizhang.core.workdays import report_due_date
from taizhang.org.models import District, Person, Role, Unit
from taizhang.org.services import person_create, unit_create

DEMO_CODE = "qinchuan"
DEMO_NAME = "秦川区"
DEMO_CITY = "宝原市"
DEMO_PASSWORD = "demo2026!"  # noqa: S105 — printed on purpose: the demo's shared password
DEMO_URL = "http://127.0.0.1:8000/"
SEED = 20260101
CENTER = (Decimal("34.360000"), Decimal("107.140000"))
WEEKS = 20
TZ = ZoneInfo("Asia/Shanghai")

# --------------------------------------------------------------------------- organisation
# Data tables: one row per line reads best; keep the formatter off them.
# fmt: off

# (name, pinyin for usernames, kind)
LEADERSHIP = [("区委", "quwei"), ("区政府", "quzhengfu"), ("区人大", "qurenda"), ("区政协", "quzhengxie")]
OFFICES = [("区委办（督查室）", "qwb"), ("区政府办（督查室）", "zfb"), ("区委政研室", "zhengyan")]
DEPARTMENTS = [
    ("发改局", "fagai"),
    ("工信局", "gongxin"),
    ("住建局", "zhujian"),
    ("城管局", "chengguan"),
    ("统计局", "tongji"),
    ("财政局", "caizheng"),
    ("自然资源局", "ziran"),
    ("商务局", "shangwu"),
    ("教育局", "jiaoyu"),
    ("卫健局", "weijian"),
    ("交通运输局", "jiaotong"),
    ("生态环境分局", "shengtai"),
    ("文旅局", "wenlv"),
    ("农业农村局", "nongye"),
    ("应急管理局", "yingji"),
    ("市场监管局", "shichang"),
    ("人社局", "renshe"),
    ("招商服务中心", "zhaoshang"),
]
STREETS = [
    ("金台街道", "jintai", ["金台社区", "北坡社区"]),
    ("渭滨街道", "weibin", ["渭滨社区", "清姜社区"]),
    ("东风路街道", "dongfeng", ["东风路社区", "火车站社区"]),
    ("西关街道", "xiguan", ["西关社区", "仓颉社区"]),
]
TOWNS = [("高家镇", "gaojia"), ("马营镇", "maying"), ("石鼓镇", "shigu")]
UNIT_PINYIN = dict(LEADERSHIP + OFFICES + DEPARTMENTS + TOWNS + [(n, py) for n, py, _c in STREETS])
# Units that get a unit admin besides their reporter.
ADMIN_UNITS = ["发改局", "住建局", "工信局", "金台街道", "渭滨街道", "东风路街道", "西关街道"]
# Units whose people cannot be reached in the story: whistles to them go unanswered.
SILENT_UNITS = {"自然资源局", "财政局"}

# (username, full name, title, unit name)
LEADERS = [
    ("shuji", "陈立衡", "区委书记", "区委"),
    ("quzhang", "王建秦", "区委副书记、区长", "区政府"),
    ("changwu", "刘振宇", "常务副区长", "区政府"),
    ("fuquzhang_zhao", "赵敏", "副区长（分管城建、交通）", "区政府"),
    ("fuquzhang_zhou", "周文博", "副区长（分管农业、社会事业）", "区政府"),
]
SUPERVISORS = [
    ("duchashi", "李晓婷", "区委办副主任、督查室主任", "区委办（督查室）"),
    ("duchashi_zf", "马浩然", "区政府办督查室主任", "区政府办（督查室）"),
]
POLICY = [("zhengyanshi", "杨思远", "区委政研室副主任", "区委政研室")]
VIEWERS = [("caizheng_ck", "财政局", "局长"), ("jintai_ck", "金台街道", "街道办事处主任")]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林郑梁谢唐许冯宋韩邓彭曹曾田萧潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金贾夏韦付方白邹孟熊秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤"
GIVEN = [
    "建华", "晓东", "丽娟", "海涛", "志强", "文静", "俊杰", "婷婷", "国庆", "雪梅", "永刚", "红霞", "宏伟", "秀英",
    "鹏飞", "佳琪", "明远", "思雨", "卫东", "春燕", "立新", "晓燕", "振华", "玉兰", "浩宇", "欣怡", "军", "敏",
    "涛", "静", "磊", "洁", "勇", "芳", "斌", "艳", "博文", "子涵", "天佑", "梦瑶", "向阳", "亚楠", "德胜", "瑞雪",
]

# --------------------------------------------------------------------------- the ledger

# name, category, level, construction type, phase, lead, cooperating, land (亩), total (万元), content
PROJECTS = [
    ("智能装备制造产业园", "industry", "province", "new", "construction", "工信局", ["自然资源局", "住建局", "招商服务中心"], 860, 350000, "标准化厂房32万平方米及研发中心、智能仓储、配套道路管网"),
    ("新能源汽车零部件产业基地", "industry", "city", "continuing", "construction", "工信局", ["招商服务中心", "石鼓镇"], 520, 180000, "电驱系统、电池壳体、轻量化车身部件生产线及检测中心"),
    ("钛及钛合金精深加工项目", "industry", "province", "continuing", "production", "工信局", ["发改局"], 310, 120000, "年产3万吨钛合金棒材、板材及精密锻件生产线"),
    ("数控机床关键功能部件生产线", "industry", "city", "new", "groundbreaking", "工信局", ["马营镇"], 150, 65000, "主轴、刀库、数控转台等关键功能部件生产线12条"),
    ("生物医药产业孵化园", "industry", "district", "new", "construction", "招商服务中心", ["工信局", "卫健局"], 120, 48000, "孵化楼、中试车间、公共检测平台及人才公寓"),
    ("高端轴承智能工厂", "industry", "city", "continuing", "construction", "工信局", ["高家镇"], 200, 76000, "高端精密轴承智能化生产线及热处理中心"),
    ("绿色建材产业园", "industry", "district", "new", "preparatory", "发改局", ["自然资源局", "生态环境分局"], 260, 52000, "装配式建筑构件、绿色砂浆和再生骨料生产基地"),
    ("5G新型基础设施建设工程", "infrastructure", "city", "continuing", "construction", "工信局", ["住建局", "城管局"], None, 36000, "新建5G基站600座、城区千兆光网全覆盖及边缘计算节点"),
    ("城市更新老旧小区改造（2026年度）", "urban", "province", "new", "construction", "住建局", ["金台街道", "渭滨街道", "东风路街道", "西关街道"], None, 42000, "改造老旧小区86个，涉及居民1.2万户，同步实施管网更新、加装电梯、完善养老托育设施"),
    ("陇海铁路沿线综合整治", "urban", "city", "continuing", "construction", "城管局", ["住建局", "渭滨街道", "生态环境分局"], None, 28000, "铁路沿线12公里环境整治、违建拆除、绿化提升和慢行步道"),
    ("西关历史文化街区保护更新", "urban", "district", "new", "preparatory", "西关街道", ["住建局", "文旅局", "自然资源局"], 85, 36000, "传统风貌建筑修缮、街巷肌理恢复及文化商业植入"),
    ("金台片区棚户区改造安置房", "urban", "city", "continuing", "construction", "住建局", ["金台街道", "自然资源局"], 140, 96000, "安置房2180套及配套幼儿园、社区服务中心"),
    ("东风路片区雨污分流改造", "urban", "district", "new", "construction", "住建局", ["东风路街道", "城管局"], None, 12000, "新建改造雨污管网26公里，消除黑臭水体隐患"),
    ("城区智慧停车场建设", "urban", "district", "new", "groundbreaking", "城管局", ["交通运输局", "住建局"], 30, 9800, "立体停车楼3座、智慧泊位2600个及停车诱导系统"),
    ("渭河北岸城市综合体", "services", "city", "new", "preparatory", "商务局", ["招商服务中心", "自然资源局"], 180, 260000, "购物中心、写字楼、星级酒店及滨河商业街"),
    ("区人民医院门诊楼", "social", "province", "continuing", "construction", "卫健局", ["住建局", "财政局"], 45, 38000, "门诊医技综合楼6.8万平方米，新增床位500张"),
    ("区疾控中心业务楼", "social", "district", "new", "groundbreaking", "卫健局", ["住建局"], 12, 8600, "疾控业务楼及P2实验室"),
    ("秦川实验学校（九年一贯制）", "social", "city", "new", "construction", "教育局", ["住建局", "自然资源局", "金台街道"], 96, 32000, "教学楼、实验楼、风雨操场，新增学位2700个"),
    ("城区公办幼儿园扩容（6所）", "livelihood", "district", "new", "construction", "教育局", ["住建局"], None, 7200, "新建改扩建公办幼儿园6所，新增学位1080个"),
    ("区医养结合养老服务中心", "livelihood", "district", "continuing", "construction", "卫健局", ["人社局"], 25, 15000, "养老床位600张及康复护理中心"),
    ("人力资源服务产业园", "services", "district", "new", "construction", "人社局", ["商务局"], 18, 11000, "人力资源服务机构集聚区、零工市场及技能实训基地"),
    ("东风路农贸市场提升改造", "livelihood", "district", "new", "completed", "市场监管局", ["东风路街道", "商务局"], 8, 2600, "市场主体改造、智慧计量及冷链配送"),
    ("秦川大道西延线", "infrastructure", "city", "continuing", "construction", "交通运输局", ["自然资源局", "高家镇", "马营镇"], None, 86000, "城市主干道9.6公里，双向六车道"),
    ("渭河三桥及连接线", "infrastructure", "province", "new", "groundbreaking", "交通运输局", ["住建局", "生态环境分局"], None, 120000, "跨渭河大桥1.4公里及两岸连接线"),
    ("城乡供水一体化工程", "infrastructure", "district", "continuing", "construction", "住建局", ["农业农村局", "高家镇", "石鼓镇"], None, 26000, "新建水厂1座、输配水管网85公里"),
    ("天然气管网延伸工程", "infrastructure", "district", "new", "construction", "住建局", ["应急管理局", "马营镇"], None, 9500, "中压管网42公里，覆盖马营镇、石鼓镇"),
    ("秦川冷链物流园", "services", "city", "new", "construction", "商务局", ["发改局", "交通运输局"], 230, 68000, "冷库12万吨、分拣中心及城乡配送网络"),
    ("电商直播基地", "services", "district", "new", "production", "商务局", ["招商服务中心"], 15, 6000, "直播间80个、选品中心及电商培训中心"),
    ("高家镇现代农业产业园", "agriculture", "city", "continuing", "construction", "农业农村局", ["高家镇"], 3200, 22000, "设施蔬菜基地、育苗中心及农产品初加工"),
    ("马营镇高标准农田建设（1.2万亩）", "agriculture", "province", "new", "construction", "农业农村局", ["马营镇", "自然资源局", "财政局"], 12000, 3600, "土地平整、灌排渠系、田间道路及农田防护"),
    ("石鼓镇猕猴桃冷库及深加工", "agriculture", "district", "new", "groundbreaking", "石鼓镇", ["农业农村局", "商务局"], 40, 5200, "气调冷库2万吨及果汁、果干加工线"),
    ("和美乡村示范村建设", "agriculture", "district", "new", "construction", "农业农村局", ["高家镇", "马营镇", "石鼓镇"], None, 4800, "示范村12个，村容村貌提升及公共服务设施"),
    ("渭河生态廊道（秦川段）", "ecology", "province", "continuing", "construction", "生态环境分局", ["自然资源局", "城管局", "渭滨街道"], 1500, 45000, "滩地修复、湿地公园及滨河绿道18公里"),
    ("城区黑臭水体整治", "ecology", "district", "new", "completed", "生态环境分局", ["住建局", "城管局"], None, 6800, "清淤、截污纳管及生态补水"),
    ("生活垃圾焚烧发电二期", "ecology", "city", "new", "preparatory", "城管局", ["生态环境分局", "发改局"], 80, 58000, "日处理生活垃圾600吨焚烧线及发电机组"),
    ("石鼓山文化旅游景区提升", "services", "city", "continuing", "construction", "文旅局", ["石鼓镇", "自然资源局"], 450, 38000, "游客中心、景区道路、文化展陈及智慧景区"),
    ("金台夜市文化街区", "services", "district", "new", "completed", "金台街道", ["文旅局", "商务局", "城管局"], 20, 3500, "夜市街区改造、文化演艺广场及特色摊位"),
    ("区应急物资储备库", "social", "district", "new", "construction", "应急管理局", ["发改局", "财政局"], 28, 7600, "应急物资储备库1.2万平方米及调度平台"),
    ("数字经济产业大厦", "services", "district", "continuing", "construction", "招商服务中心", ["工信局"], 18, 42000, "数字经济总部楼宇8.6万平方米"),
    ("渭滨街道社区嵌入式服务设施", "livelihood", "district", "new", "construction", "渭滨街道", ["卫健局", "教育局"], None, 1800, "社区食堂、托育点、卫生服务站等嵌入式服务设施"),
]
LEADER_BY_CATEGORY = {
    "industry": "changwu",
    "services": "quzhang",
    "urban": "fuquzhang_zhao",
    "infrastructure": "fuquzhang_zhao",
    "social": "fuquzhang_zhou",
    "livelihood": "fuquzhang_zhou",
    "agriculture": "fuquzhang_zhou",
    "ecology": "fuquzhang_zhou",
}

# source key → (title, month, day)
SOURCES = {
    "econ": ("区委经济工作会议", 1, 8),
    "gov": ("区政府工作报告", 1, 20),
    "proj": ("全区高质量项目建设推进大会", 2, 26),
    "stw": ("区委常委会会议", 3, 17),
}
# name, lead, cooperating, source, quoted sentence, deadline month (12 = year end)
TASKS = [
    ("固定资产投资增长8%以上", "发改局", ["统计局", "财政局"], "gov", "全年固定资产投资增长8%以上，其中工业投资增长12%以上。", 12),
    ("规上工业增加值增长7%", "工信局", ["统计局"], "gov", "规上工业增加值增长7%，工业经济对全区增长的贡献率提高到40%以上。", 12),
    ("新增规上工业企业15户", "工信局", ["统计局", "市场监管局"], "econ", "全年新增规上工业企业15户以上，培育专精特新企业5户。", 12),
    ("社会消费品零售总额增长6.5%", "商务局", ["统计局"], "gov", "社会消费品零售总额增长6.5%，培育限上商贸企业20户。", 12),
    ("外贸进出口突破20亿元", "商务局", ["招商服务中心"], "gov", "外贸进出口总额突破20亿元，新增有进出口实绩企业10户。", 12),
    ("招商引资到位资金150亿元", "招商服务中心", ["发改局", "商务局"], "econ", "坚持招商引资“一号工程”，全年到位资金150亿元以上，引进亿元以上项目30个。", 12),
    ("引进500强及链主企业3家", "招商服务中心", ["工信局"], "econ", "聚焦装备制造和新材料产业链，引进500强及链主企业3家以上。", 12),
    ("一般公共预算收入增长5%", "财政局", ["统计局"], "gov", "一般公共预算收入增长5%，税收占比保持在80%以上。", 12),
    ("争取中央预算内投资和专项债券15亿元", "发改局", ["财政局"], "proj", "全年争取中央预算内投资和地方政府专项债券资金15亿元以上。", 12),
    ("谋划储备重大项目100个", "发改局", ["住建局", "工信局"], "proj", "坚持谋划一批、储备一批、招商一批、开工一批，全年谋划储备重大项目100个、总投资800亿元以上。", 12),
    ("新开工亿元以上项目40个", "发改局", ["自然资源局", "住建局"], "proj", "新开工亿元以上项目40个，一季度开工率达到60%以上。", 12),
    ("深化“一件事一次办”改革", "发改局", ["市场监管局", "人社局"], "gov", "推动“一件事一次办”扩面增效，年内实现40个高频事项集成办理。", 12),
    ("常态化开展政银企早餐会", "财政局", ["发改局", "工信局"], "econ", "常态化开展政银企早餐会，全年帮助企业解决融资需求20亿元。", 12),
    ("改造老旧小区86个", "住建局", ["金台街道", "渭滨街道", "东风路街道", "西关街道"], "gov", "改造老旧小区86个、惠及居民1.2万户。", 12),
    ("既有住宅加装电梯50部", "住建局", ["金台街道", "渭滨街道"], "gov", "推进既有住宅加装电梯50部，让群众上下楼不再难。", 12),
    ("打造夜经济特色街区3条", "商务局", ["文旅局", "城管局"], "econ", "打造夜经济特色街区3条，点亮城市“烟火气”。", 10),
    ("整治背街小巷60条", "城管局", ["金台街道", "渭滨街道", "东风路街道", "西关街道"], "gov", "整治背街小巷60条，打造精品示范街巷10条。", 12),
    ("生活垃圾分类示范片区建设", "城管局", ["金台街道", "西关街道"], "gov", "建成生活垃圾分类示范片区4个，城区分类覆盖率达到90%。", 12),
    ("存量违法建设清零", "城管局", ["自然资源局", "渭滨街道", "东风路街道"], "stw", "存量违法建设年内清零，新增违建零容忍。", 12),
    ("新增城区停车泊位3000个", "城管局", ["交通运输局"], "gov", "新增城区停车泊位3000个，缓解老城区停车难。", 12),
    ("空气质量优良天数达到280天", "生态环境分局", ["住建局", "城管局", "交通运输局"], "econ", "扎实推进蓝天保卫战，全年优良天数达到280天以上，PM2.5浓度持续下降。", 12),
    ("渭河出境断面水质稳定达标", "生态环境分局", ["农业农村局"], "econ", "渭河出境断面水质稳定保持Ⅱ类。", 12),
    ("中央环保督察反馈问题整改销号", "生态环境分局", ["自然资源局", "城管局"], "stw", "中央生态环境保护督察反馈问题9月底前全部整改到位、销号。", 9),
    ("新增城镇就业6000人", "人社局", ["教育局"], "gov", "新增城镇就业6000人，城镇登记失业率控制在4%以内。", 12),
    ("开发高校毕业生就业见习岗位1000个", "人社局", ["教育局", "工信局"], "gov", "开发就业见习岗位1000个，离校未就业高校毕业生帮扶就业率90%以上。", 12),
    ("根治欠薪“两清零”", "人社局", ["住建局", "交通运输局"], "stw", "工程建设领域欠薪案件动态清零，春节前实现“两清零”。", 12),
    ("新建改扩建中小学幼儿园8所", "教育局", ["住建局", "自然资源局"], "gov", "新建改扩建中小学幼儿园8所，新增学位4000个。", 12),
    ("课后服务全覆盖", "教育局", [], "gov", "义务教育阶段学校课后服务实现全覆盖，9月新学期起全面实施。", 9),
    ("紧密型县域医共体建设", "卫健局", ["财政局"], "gov", "建成紧密型医共体2个，基层就诊率达到65%。", 12),
    ("家庭医生签约服务率达到75%", "卫健局", ["金台街道", "渭滨街道"], "gov", "重点人群家庭医生签约服务率达到75%以上。", 12),
    ("安全生产治本攻坚三年行动", "应急管理局", ["住建局", "工信局", "交通运输局"], "stw", "深入推进安全生产治本攻坚三年行动，坚决遏制较大以上事故。", 12),
    ("城镇燃气安全专项整治", "住建局", ["应急管理局", "市场监管局"], "stw", "6月底前完成城镇燃气用户设施安全隐患排查整治。", 6),
    ("修订防汛应急预案并开展演练", "应急管理局", ["高家镇", "马营镇", "石鼓镇"], "stw", "汛前完成防汛应急预案修订，各镇街至少开展一次实战演练。", 6),
    ("创建省级食品安全示范区", "市场监管局", ["卫健局", "商务局"], "gov", "高标准通过省级食品安全示范区创建验收。", 12),
    ("粮食播种面积稳定在18万亩", "农业农村局", ["高家镇", "马营镇", "石鼓镇"], "econ", "粮食播种面积稳定在18万亩以上，总产量稳定在7万吨。", 12),
    ("防返贫动态监测帮扶", "农业农村局", ["高家镇", "马营镇", "石鼓镇", "人社局"], "econ", "健全防止返贫动态监测和帮扶机制，坚决守住不发生规模性返贫底线。", 12),
    ("农村人居环境整治提升", "农业农村局", ["生态环境分局", "高家镇"], "gov", "农村卫生厕所普及率达到85%，生活垃圾收运处置体系行政村全覆盖。", 12),
    ("村集体经济“清零消薄”", "农业农村局", ["财政局"], "econ", "全面消除集体经济收入10万元以下村。", 12),
    ("创建国家4A级旅游景区", "文旅局", ["石鼓镇"], "gov", "石鼓山景区年内创建为国家4A级旅游景区。", 10),
    ("举办文旅消费季系列活动", "文旅局", ["商务局"], "econ", "举办文旅消费季系列活动20场以上，带动文旅消费10亿元。", 10),
    ("“四上”企业应统尽统", "统计局", ["工信局", "商务局"], "econ", "坚持应统尽统，全年新增“四上”企业60户。", 12),
    ("新开工项目当月入库纳统", "统计局", ["发改局"], "proj", "新开工项目当月入库纳统，确保投资数据应统尽统。", 12),
    ("国有土地收储出让1500亩", "自然资源局", ["财政局"], "gov", "全年收储土地1500亩、出让1000亩。", 12),
    ("批而未供和闲置土地处置", "自然资源局", ["招商服务中心"], "stw", "年内处置批而未供土地800亩、闲置土地200亩。", 12),
    ("国土空间规划“一张图”实施监督", "自然资源局", ["住建局"], "stw", "建成国土空间规划“一张图”实施监督信息系统。", 9),
    ("“街道吹哨、部门报到”示范建设", "金台街道", ["城管局", "住建局"], "stw", "完善“街道吹哨、部门报到”机制，群众诉求按时办结率达到95%。", 12),
    ("一刻钟便民生活圈建设", "渭滨街道", ["商务局"], "gov", "建成一刻钟便民生活圈3个。", 12),
    ("东风路老旧商圈提升", "东风路街道", ["商务局", "城管局"], "econ", "完成东风路老旧商圈外立面、业态和交通组织提升。", 12),
    ("网格化治理“城区一张网”", "西关街道", ["城管局"], "stw", "推进“城区一张网”网格化治理，网格事件按时结案率95%以上。", 12),
    ("高家镇特色产业镇建设", "高家镇", ["农业农村局"], "econ", "建设设施蔬菜特色产业镇，新增设施农业3000亩。", 12),
    ("马营镇工业集中区基础设施配套", "马营镇", ["工信局", "住建局"], "proj", "完成马营工业集中区道路、供水、供电等基础设施配套。", 12),
    ("石鼓镇文旅融合示范镇创建", "石鼓镇", ["文旅局"], "gov", "创建省级文旅融合示范镇。", 12),
    ("人大代表建议按期办结", "区政府办（督查室）", [], "stw", "人大代表建议、政协委员提案按期办结率100%。", 9),
    ("政协委员提案按期办结", "区政府办（督查室）", [], "stw", "政协委员提案办理做到件件有回音、事事有着落。", 9),
    ("重点工作“月督办、季观摩”", "区委办（督查室）", ["区政府办（督查室）"], "stw", "对重点项目和重点任务实行“月督办、季观摩、年考核”。", 12),
    ("编制年度重点任务清单", "区委政研室", ["区委办（督查室）"], "econ", "2月底前将全会和政府工作报告确定的目标任务分解为任务清单、责任清单和进度表。", 2),
    ("网上可办率达到95%", "发改局", ["工信局"], "gov", "政务服务事项网上可办率达到95%以上。", 12),
    ("培育专精特新企业5户", "工信局", ["发改局"], "econ", "培育省级专精特新中小企业5户。", 12),
    ("建设“四好农村路”50公里", "交通运输局", ["高家镇", "马营镇", "石鼓镇"], "gov", "新改建“四好农村路”50公里。", 12),
    ("优化公交线网、更新新能源公交", "交通运输局", [], "gov", "优化公交线路10条，更新新能源公交车60辆。", 12),
]
TASK_LEADER = {
    "发改局": "changwu", "工信局": "changwu", "商务局": "quzhang", "招商服务中心": "quzhang", "财政局": "changwu",
    "统计局": "changwu", "住建局": "fuquzhang_zhao", "城管局": "fuquzhang_zhao", "交通运输局": "fuquzhang_zhao",
    "自然资源局": "fuquzhang_zhao", "生态环境分局": "fuquzhang_zhou", "人社局": "fuquzhang_zhou",
    "教育局": "fuquzhang_zhou", "卫健局": "fuquzhang_zhou", "应急管理局": "changwu", "市场监管局": "fuquzhang_zhou",
    "农业农村局": "fuquzhang_zhou", "文旅局": "quzhang",
}

PROJECT_MILESTONES = {
    "preparatory": [("完成项目立项备案", 3, 20), ("取得用地预审与规划选址", 5, 30), ("完成初步设计批复", 8, 31), ("取得施工许可", 11, 30)],
    "groundbreaking": [("完成土地摘牌", 3, 31), ("取得施工许可证", 5, 31), ("正式开工", 7, 15), ("基础工程完成", 11, 30)],
    "construction": [("复工复产", 2, 28), ("主体结构完成50%", 5, 31), ("主体封顶", 8, 31), ("设备安装", 10, 31), ("完成年度投资", 12, 31)],
    "completed": [("主体完工", 4, 30), ("竣工验收", 8, 31), ("交付使用", 9, 30)],
    "production": [("设备调试", 3, 31), ("试生产", 5, 31), ("达产达效", 9, 30)],
}
TASK_MILESTONES = [("制定实施方案", 2, 28), ("完成半年目标", 6, 30), ("完成三季度目标", 9, 30)]

PROJECT_DONE = {
    "preparatory": ["完成可研报告评审", "对接自然资源部门办理用地手续", "开展环评、能评编制", "完成勘察设计招标", "召开项目推进专题会"],
    "groundbreaking": ["完成场地平整", "施工单位进场", "完成临建搭设", "开展桩基施工", "完成基坑开挖"],
    "construction": ["主体结构施工有序推进", "完成砌体工程", "钢结构吊装完成", "管网铺设完成", "开展设备安装", "完成外立面装饰", "推进室内装修"],
    "completed": ["完成竣工验收资料整理", "开展联合验收", "完成移交", "整改验收问题"],
    "production": ["生产线稳定运行", "新增订单", "开展产能爬坡", "完成技改设备安装"],
}
TASK_DONE = ["召开专题推进会", "印发工作方案", "开展督导检查", "完成阶段目标", "梳理问题清单并逐项销号", "组织各镇街开展培训", "完成数据调度", "召开联席会议研究推进"]
PROBLEMS = [
    "用地指标尚未落实，影响后续手续办理",
    "施工许可办理进度滞后",
    "项目资金到位不足，影响施工进度",
    "管线迁改涉及多家产权单位，协调难度大",
    "个别征迁户诉求未达成一致",
    "连续降雨影响室外作业",
    "部分配合单位反馈不及时",
    "企业融资需求未完全满足",
    "环评批复等待上级审批",
    "施工人员不足，节点进度偏慢",
]
NEXT_STEPS = [
    "倒排工期、挂图作战，确保按期完成节点目标",
    "协调自然资源部门加快办理用地手续",
    "争取专项债券资金，保障项目建设",
    "增加施工作业面和人员设备投入",
    "提请包抓领导召开专题会协调解决",
    "加强与配合单位对接，形成工作合力",
    "做好入库纳统和资料归集",
    "持续跟踪，确保年度目标完成",
]
WHISTLE_PROBLEMS = [
    "项目红线内有3处电力杆线需迁改，需供电、住建等部门联合现场办公",
    "施工便道占用集体土地，需镇街协调群众工作",
    "规划条件与设计方案存在冲突，需自然资源部门明确意见",
    "配套道路未同步建设，影响项目进场",
    "专项债券资金拨付滞后，需财政部门加快审核",
    "雨污管网接驳点位需城管部门确认",
    "片区群众反映施工扰民，需街道和城管部门联合处置",
    "项目用电报装容量不足，需协调增容",
]
WHISTLE_RESPONSES = [
    "已安排专人对接，三个工作日内到现场办公",
    "已完成现场踏勘，正在办理相关手续",
    "已召开协调会，明确了责任分工和完成时限",
    "已与相关方达成一致，本周内完成处置",
]


# fmt: on


# --------------------------------------------------------------------------- helpers


@contextmanager
def _clock(at: dt.datetime):
    """Run a replayed step as if it were ``at`` (see the module docstring)."""
    real = timezone.now
    timezone.now = lambda: at  # noqa: E731 — a constant clock for one step
    try:
        yield
    finally:
        timezone.now = real


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _safe_date(year: int, month: int, day: int) -> dt.date:
    while True:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _display_width(text))


@dataclass
class Login:
    username: str
    role: str
    unit: str
    name: str
    title: str = ""


@dataclass
class DemoResult:
    district: District
    created: bool
    logins: list[Login] = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    def table(self) -> str:
        rows = [("username", "role", "unit", "name / title")]
        rows += [(x.username, x.role, x.unit, f"{x.name} {x.title}".strip()) for x in self.logins]
        widths = [max(_display_width(r[i]) for r in rows) for i in range(3)]
        lines = []
        for i, r in enumerate(rows):
            lines.append("  ".join(_pad(r[c], widths[c]) for c in range(3)) + "  " + r[3])
            if i == 0:
                lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 12)
        return "\n".join(lines)


def demo_district() -> District | None:
    return District.objects.filter(code=DEMO_CODE).first()


def demo_logins(district: District) -> list[Login]:
    order = {r: i for i, r in enumerate(Role.values)}
    people = Person.objects.filter(district=district).select_related("unit")
    people = sorted(people, key=lambda p: (order.get(p.role, 99), p.unit.sort_order if p.unit else 0, p.id))
    return [Login(p.username, p.role, p.unit.name if p.unit else "", p.full_name, p.title) for p in people]


# --------------------------------------------------------------------------- deletion


def _rows_referencing(targets: dict[type[models.Model], list[int]]) -> list[models.QuerySet]:
    """Querysets of rows in other apps' tables that point at the given rows."""
    own = {District, Unit, Person}
    out = []
    for model in apps.get_models():
        if model in own:
            continue
        for f in model._meta.concrete_fields:
            if f.many_to_one and f.related_model in targets and targets[f.related_model]:
                out.append(model._base_manager.filter(**{f"{f.name}__in": targets[f.related_model]}))
    return out


@transaction.atomic
def demo_delete(district: District) -> None:
    """Remove the demo district and everything hanging on it (for ``demo_load --reset``)."""
    targets = {
        District: [district.pk],
        Unit: list(Unit.objects.filter(district=district).values_list("pk", flat=True)),
        Person: list(Person.objects.filter(district=district).values_list("pk", flat=True)),
    }
    # Rows elsewhere may protect each other (a notice protects its item…): delete in
    # passes until nothing referencing the district, its units or people remains.
    for _ in range(6):
        pending = [qs for qs in _rows_referencing(targets) if qs.exists()]
        if not pending:
            break
        for qs in pending:
            try:
                with transaction.atomic():
                    qs.delete()
            except ProtectedError:
                continue
    Person.objects.filter(pk__in=targets[Person]).delete()
    units = list(Unit.objects.filter(district=district))
    for unit in sorted(units, key=lambda u: -u.path.count("/")):
        unit.delete()
    district.delete()


# --------------------------------------------------------------------------- build


class _Builder:
    def __init__(self, today: dt.date, seed: int, weeks: int):
        self.today = today
        # Nothing is replayed after this moment (a late report due "today" is simply missing).
        self.real_now = min(timezone.now(), _at(today, 23, 59))
        self.n_weeks = weeks
        self.year = today.year
        self.rng = random.Random(seed)
        self.cal = work_calendar()
        self.units: dict[str, Unit] = {}
        self.people: dict[str, Person] = {}
        self.reporter_of: dict[str, Person] = {}
        self.items: dict[int, object] = {}  # pk → the live instance (services mutate it)
        self.timeline: list[tuple[dt.datetime, int, Callable[[], None]]] = []
        self._seq = 0
        self._used_names: set[str] = set()

    # -- organisation

    def name(self) -> str:
        while True:
            candidate = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            if candidate not in self._used_names:
                self._used_names.add(candidate)
                return candidate

    def responsible(self, unit_name: str) -> str:
        if unit_name.endswith("街道"):
            titles = ["党工委书记", "办事处主任"]
        elif unit_name.endswith("镇"):
            titles = ["党委书记", "镇长"]
        elif unit_name.endswith("局"):
            titles = ["局长", "副局长"]
        else:
            titles = ["主任", "副主任"]
        return f"{self.name()}（{unit_name}{self.rng.choice(titles)}）"

    def organisation(self) -> District:
        d = District.objects.create(name=DEMO_NAME, city=DEMO_CITY, code=DEMO_CODE)
        order = 0

        def add(name, kind, parent=None):
            nonlocal order
            order += 10
            self.units[name] = unit_create(district=d, name=name, kind=kind, parent=parent, sort_order=order)
            return self.units[name]

        for name, _py in LEADERSHIP:
            add(name, Unit.Kind.LEADERSHIP)
        for name, _py in OFFICES:
            add(name, Unit.Kind.OTHER)
        for name, _py in DEPARTMENTS:
            add(name, Unit.Kind.DEPARTMENT)
        for name, _py, communities in STREETS:
            street = add(name, Unit.Kind.STREET)
            for c in communities:
                add(c, Unit.Kind.COMMUNITY, parent=street)
        for name, _py in TOWNS:
            add(name, Unit.Kind.TOWN)

        # Production hashers take ~0.5 s per password; every demo account has the
        # same password, so it is hashed once and stored for all.
        def person(username, role, unit_name, full_name, title):
            p = person_create(
                username=username,
                password=None,  # unusable (no hashing); replaced below by the one shared hash
                district=d,
                role=role,
                unit=self.units[unit_name] if unit_name else None,
                full_name=full_name,
                title=title,
                phone=f"0917-{self.rng.randint(3100000, 3999999)}",
            )
            self.people[username] = p
            return p

        for username, full, title, unit in LEADERS:
            person(username, Role.LEADER, unit, full, title)
        for username, full, title, unit in SUPERVISORS:
            person(username, Role.SUPERVISOR, unit, full, title)
        for username, full, title, unit in POLICY:
            person(username, Role.POLICY, unit, full, title)
        self.reporter_of["区委办（督查室）"] = self.people["duchashi"]
        self.reporter_of["区政府办（督查室）"] = self.people["duchashi_zf"]
        self.reporter_of["区委政研室"] = self.people["zhengyanshi"]
        units_with_reporters = [(n, py) for n, py in DEPARTMENTS] + [(n, py) for n, py, _c in STREETS] + TOWNS
        for unit_name, py in units_with_reporters:
            if unit_name in ADMIN_UNITS:
                person(f"{py}_admin", Role.UNIT_ADMIN, unit_name, self.name(), "办公室主任")
            self.reporter_of[unit_name] = person(
                f"{py}_tb",
                Role.REPORTER,
                unit_name,
                self.name(),
                self.rng.choice(["综合科科员", "项目办干事", "综合办干事"]),
            )
        for username, unit_name, title in VIEWERS:
            person(username, Role.VIEWER, unit_name, self.name(), title)
        Person.objects.filter(district=d).update(password=make_password(DEMO_PASSWORD))
        return d

    # -- timeline

    def at(self, when: dt.datetime, action: Callable[[], None]) -> None:
        """Schedule ``action`` at ``when``; steps may schedule later steps."""
        if when <= self.real_now:
            self._seq += 1
            heapq.heappush(self.timeline, (when, self._seq, action))

    def run_timeline(self) -> None:
        while self.timeline:
            when, _n, action = heapq.heappop(self.timeline)
            with _clock(when):
                action()

    def fresh(self, pk: int):
        from taizhang.ledger.models import Item, KeyProject, KeyTask

        kind = Item.objects.values_list("kind", flat=True).get(pk=pk)
        model = KeyProject if kind == Item.Kind.PROJECT else KeyTask
        self.items[pk] = model.objects.get(pk=pk)
        return self.items[pk]

    # -- ledger

    def weeks(self) -> list[dt.date]:
        from taizhang.ledger.selectors import reports_due_week

        last = reports_due_week(self.today)
        weeks = [last - dt.timedelta(days=7 * i) for i in range(self.n_weeks - 1, -1, -1)]
        return [w for w in weeks if w.year == self.year and w >= dt.date(self.year, 1, 12)]

    def submit_time(self, week: dt.date, late: bool) -> dt.datetime:
        due = report_due_date(self.cal, week, settings.TAIZHANG_REPORT_DUE_WEEKDAY)
        if late:
            day = self.cal.add_workdays(due, self.rng.randint(1, 2))
        else:
            day = max(week, due - dt.timedelta(days=self.rng.choice([0, 0, 0, 1, 2])))
        hour = self.rng.randint(9, 17)
        return _at(day, hour, self.rng.randint(0, 59))

    def build(self, district: District) -> None:
        from taizhang.ledger.models import Item
        from taizhang.ledger.services import item_create

        rng = self.rng
        y = self.year
        weeks = self.weeks()
        opened = min(_at(dt.date(y, 1, 15), 9), _at(self.today - dt.timedelta(days=1), 9))
        # Time progress at the last reported week, for shaping figures per outcome.
        tp_end = Decimal((weeks[-1] - dt.date(y, 1, 1)).days + 5) * 100 / Decimal(365) if weeks else Decimal(50)

        leaders = {u: self.people[u] for u, *_ in LEADERS}

        # ~55% green, 25% amber, 20% red, shuffled but fixed by the seed.
        def outcomes(n):
            pool = ["green"] * round(n * 0.55) + ["amber"] * round(n * 0.25)
            pool += ["red"] * (n - len(pool))
            rng.shuffle(pool)
            return pool

        plans = []
        # Key projects.
        for i, (name, cat, level, ctype, phase, lead, coop, land, total, content), outcome in zip(
            range(1, len(PROJECTS) + 1), PROJECTS, outcomes(len(PROJECTS)), strict=True
        ):
            total = Decimal(total)
            if ctype == "continuing":
                prior = (total * Decimal(rng.uniform(0.2, 0.45))).quantize(Decimal("1"))
            else:
                prior = Decimal("0")
            if phase in ("completed", "production"):
                plan = total - prior
                outcome = "green"
            elif phase == "preparatory":
                plan = (total * Decimal(rng.uniform(0.03, 0.08))).quantize(Decimal("1"))
            else:
                plan = min(total - prior, (total * Decimal(rng.uniform(0.25, 0.45))).quantize(Decimal("1")))
            item_leaders = [leaders[LEADER_BY_CATEGORY[cat]]]
            if level == "province":
                item_leaders.insert(0, leaders["shuji"])
            values = {
                "year": y,
                "code": f"XM{y}-{i:03d}",
                "name": name,
                "description": f"主要建设{content}。",
                "lead_unit": self.units[lead],
                "responsible_person": self.responsible(lead),
                "start_date": dt.date(y, 1, 1)
                if ctype == "continuing"
                else _safe_date(y, rng.randint(2, 5), rng.randint(1, 28)),
                "deadline": dt.date(y, 9, 30) if phase == "completed" else _safe_date(y + rng.randint(0, 2), 12, 31),
                "category": cat,
                "level": level,
                "construction_type": ctype,
                "phase": "construction" if phase == "completed" else phase,
                "total_investment": total,
                "planned_investment_year": plan,
                "completed_investment_year": Decimal("0"),
                "completed_investment_total": prior,
                "land_area_mu": Decimal(land) if land else None,
                "latitude": (CENTER[0] + Decimal(rng.uniform(-0.05, 0.05))).quantize(Decimal("0.000001")),
                "longitude": (CENTER[1] + Decimal(rng.uniform(-0.05, 0.05))).quantize(Decimal("0.000001")),
            }
            ms = [{"name": n, "planned_date": _safe_date(y, m, dd)} for n, m, dd in PROJECT_MILESTONES[phase]]
            plans.append(("project", values, [self.units[c] for c in coop], item_leaders, ms, outcome, phase))

        # Key tasks.
        for i, (name, lead, coop, src, quote, month), outcome in zip(
            range(1, len(TASKS) + 1), TASKS, outcomes(len(TASKS)), strict=True
        ):
            title, sm, sd = SOURCES[src]
            deadline = _safe_date(y, month, 31)
            if deadline < self.today - dt.timedelta(days=20):
                # Short tasks: most were done on time; a red one is overdue.
                outcome = "red" if outcome == "red" else "done"
            leader = TASK_LEADER.get(lead) or ("shuji" if lead.startswith("区委") else "quzhang")
            values = {
                "year": y,
                "code": f"RW{y}-{i:03d}",
                "name": name,
                "description": quote,
                "lead_unit": self.units[lead],
                "responsible_person": self.responsible(lead),
                "start_date": dt.date(y, 1, 1),
                "deadline": deadline,
                "source_title": f"{y}年{title}" if src == "gov" else title,
                "source_date": dt.date(y, sm, sd),
                "source_quote": quote,
            }
            ms = [
                {"name": n, "planned_date": _safe_date(y, m, dd)}
                for n, m, dd in TASK_MILESTONES
                if _safe_date(y, m, dd) < deadline
            ]
            plans.append(("task", values, [self.units[c] for c in coop], [leaders[leader]], ms, outcome, None))

        creator = {"project": self.people["fagai_admin"], "task": self.people["zhengyanshi"]}
        for n, (kind, values, coop, item_leaders, ms, outcome, phase) in enumerate(plans):

            def create(
                kind=kind, values=values, coop=coop, item_leaders=item_leaders, ms=ms, outcome=outcome, phase=phase
            ):
                item = item_create(
                    actor=creator[kind],
                    kind=Item.Kind.PROJECT if kind == "project" else Item.Kind.TASK,
                    district=district,
                    values=values,
                    cooperating_units=coop,
                    leaders=item_leaders,
                    milestones=ms,
                )
                self.items[item.pk] = item
                self.story(item, outcome, phase, weeks, tp_end)

            self.at(opened + dt.timedelta(minutes=3 * n), create)

        self.notices(district)
        self.run_timeline()

    # -- monthly supervision (月督办)

    def notices(self, district: District) -> None:
        """Issue the last three months' supervision notices; most are answered, some closed."""
        from taizhang.supervision import services as supervision

        rng = self.rng
        supervisor = self.people["duchashi"]
        for back in (2, 1, 0):
            months = self.today.year * 12 + self.today.month - 1 - back
            first = dt.date(months // 12, months % 12 + 1, 1)
            if first.year != self.year:
                continue
            day = self.cal.add_workdays(first - dt.timedelta(days=1), 2)  # the month's 2nd working day
            when = _at(day, 9, 30)

            def generate(first=first, day=day, when=when):
                issued = supervision.notices_generate_for_month(
                    actor=supervisor, district=district, month=first, today=day, now=when
                )
                for notice in issued:
                    replier = self.reporter_of.get(notice.unit.name)
                    if replier is None or replier.role not in (Role.REPORTER, Role.UNIT_ADMIN) or rng.random() < 0.2:
                        continue  # some units never answer: the board flags them
                    replied = _at(self.cal.add_workdays(day, rng.randint(1, 7)), 16, rng.randint(0, 59))

                    def reply(notice=notice, replier=replier, replied=replied):
                        supervision.notice_reply(
                            actor=replier, notice=notice, text=rng.choice(NOTICE_REPLIES), now=replied
                        )

                    self.at(replied, reply)
                    if rng.random() < 0.6:
                        closed = _at(self.cal.add_workdays(replied.date(), rng.randint(2, 4)), 10)

                        def close(notice=notice, closed=closed):
                            supervision.notice_close(actor=supervisor, notice=notice, now=closed)

                        self.at(closed, close)

            self.at(when, generate)

    # -- one item's year

    def story(self, item, outcome: str, phase: str | None, weeks: list[dt.date], tp_end: Decimal) -> None:
        """Schedule this item's milestones, reports and edits on the timeline."""
        from taizhang.ledger.services import item_update, milestone_mark_done

        rng = self.rng
        pk = item.pk
        lead = item.lead_unit.name
        reporter = self.reporter_of[lead]
        admin = self.people.get(f"{UNIT_PINYIN.get(lead, '')}_admin") or reporter
        deadline = item.deadline
        # Milestones: met around their date; the red story misses the latest due one.
        milestones = list(item.milestones.all())
        due = [m for m in milestones if self.cal.add_workdays(m.planned_date, 6) < self.today]
        missed = {due[-1].pk} if outcome == "red" and due and rng.random() < 0.6 else set()
        if outcome == "red" and item.kind == "task" and deadline < self.today:
            missed = {m.pk for m in due if m.planned_date >= deadline - dt.timedelta(days=100)}
        for m in milestones:
            if m.pk in missed or m.planned_date >= self.today - dt.timedelta(days=2):
                continue
            actual = min(m.planned_date + dt.timedelta(days=rng.randint(-6, 3)), self.today - dt.timedelta(days=1))

            def mark(m=m, actual=actual):
                milestone_mark_done(actor=reporter, milestone=m, actual_date=actual)

            self.at(_at(actual, 16, rng.randint(0, 59)), mark)

        # Where the figures end up at the last week, as a share of the year's plan
        # (projects) or of the task (tasks), in percent.
        if outcome == "green":
            final = min(Decimal(100), tp_end + Decimal(rng.uniform(3, 12)))
        elif outcome == "amber":
            final = tp_end - Decimal(
                rng.uniform(3 if item.kind == "project" else 13, 8 if item.kind == "project" else 22)
            )
        elif outcome == "done":
            final = Decimal(100)
        else:
            final = tp_end - Decimal(rng.uniform(14, 35))
        if phase in ("completed", "production"):
            final = Decimal(100)
        gamma = rng.uniform(0.8, 1.3)

        # Completion: finished items stop reporting after their completion date.
        completed_on = None
        if outcome == "done" or phase == "completed":
            completed_on = min(deadline - dt.timedelta(days=rng.randint(0, 12)), self.today - dt.timedelta(days=1))

            def finish(completed_on=completed_on):
                fresh = self.fresh(pk)
                values = {"completed_on": completed_on, "progress_pct": Decimal(100)}
                if fresh.kind == "project":
                    values["phase"] = "completed"
                item_update(actor=admin, item=fresh, expected_version=fresh.version, values=values)

            self.at(_at(completed_on, 17, 30), finish)

        # Weekly reports; some units stopped reporting in recent weeks.
        silent_from = len(weeks)
        if outcome in ("red", "amber") and rng.random() < 0.45 or rng.random() < 0.08:
            silent_from = len(weeks) - rng.randint(1, 3)
        problem_rate = {"green": 0.1, "amber": 0.45, "red": 0.75, "done": 0.05}[outcome]
        pool = PROJECT_DONE.get(phase or "", TASK_DONE) if item.kind == "project" else TASK_DONE
        for idx, week in enumerate(weeks):
            if idx >= silent_from or (rng.random() < 0.03 and idx < len(weeks) - 3):
                continue
            if completed_on and week > completed_on:
                break
            elapsed = Decimal((week - dt.date(week.year, 1, 1)).days + 5) * 100 / Decimal(365)
            share = min(Decimal(1), elapsed / tp_end) ** Decimal(gamma)
            pct = min(Decimal(100), (final * share + Decimal(rng.uniform(-1.5, 1.5)))).quantize(Decimal("0.1"))
            late = rng.random() < 0.08
            when = self.submit_time(week, late)
            problems = rng.choice(PROBLEMS) if rng.random() < problem_rate else ""
            next_steps = rng.choice(NEXT_STEPS)
            text = "；".join(rng.sample(pool, 2)) + "。"

            def report(week=week, pct=pct, when=when, problems=problems, next_steps=next_steps, text=text):
                from taizhang.ledger.services import report_submit

                current = self.items[pk]
                kw = {}
                if current.kind == "project":
                    plan = current.planned_investment_year
                    value = (plan * max(pct, Decimal(0)) / 100).quantize(Decimal("1"))
                    # Reported cumulative figures never go down.
                    value = max(value, current.completed_investment_year)
                    room = (
                        current.total_investment
                        - current.completed_investment_total
                        + current.completed_investment_year
                    )
                    kw["investment_completed_year"] = min(value, room)
                    kw["progress_pct"] = min(
                        Decimal(100),
                        max(current.progress_pct, (value * 100 / plan).quantize(Decimal("0.1")) if plan else pct),
                    )
                else:
                    kw["progress_pct"] = max(current.progress_pct, max(pct, Decimal(0)))
                report_submit(
                    actor=reporter,
                    item=current,
                    week=week,
                    done=text,
                    problems=problems,
                    next_steps=next_steps if problems or rng.random() < 0.7 else "",
                    now=when,
                    **kw,
                )

            self.at(when, report)

        # A few edits, for the history: cooperating units or the person responsible changed.
        if rng.random() < 0.12 and weeks:
            when = _at(weeks[len(weeks) // 2] + dt.timedelta(days=2), 11)
            extra = self.units[rng.choice(["统计局", "财政局", "发改局", "自然资源局"])]

            def edit(extra=extra):
                fresh = self.fresh(pk)
                coop = list(fresh.cooperating_units.all())
                if extra.pk != fresh.lead_unit_id and extra not in coop:
                    coop.append(extra)
                item_update(
                    actor=admin,
                    item=fresh,
                    expected_version=fresh.version,
                    values={"responsible_person": f"{self.name()}（{lead}）"},
                    cooperating_units=coop,
                )

            self.at(when, edit)

    # -- whistles

    def whistles(self, district: District) -> None:
        """吹哨报到: resolved, answered, escalated and still-open whistles."""
        from taizhang.ledger.models import Item
        from taizhang.ledger.services import whistle_close, whistle_raise, whistle_respond, whistles_escalate

        rng = self.rng
        self.timeline = []
        candidates = list(
            Item.objects.filter(district=district, kind=Item.Kind.PROJECT, completed_on__isnull=True)
            .exclude(status="green")
            .select_related("lead_unit")
            .order_by("code")
        )
        candidates += list(
            Item.objects.filter(district=district, kind=Item.Kind.PROJECT, status="green")
            .select_related("lead_unit")
            .order_by("code")
        )
        # (days before today raised, summoned units, fate)
        plan = [
            (95, ["住建局", "金台街道"], "closed"),
            (80, ["工信局", "东风路街道"], "closed"),
            (62, ["住建局"], "closed"),
            (45, ["发改局", "西关街道"], "answered"),
            (30, ["自然资源局", "住建局"], "escalated"),
            (24, ["财政局"], "escalated"),
            (16, ["渭滨街道", "工信局"], "answered"),
            (12, ["自然资源局"], "escalated"),
            (2, ["住建局", "渭滨街道"], "open"),
            (1, ["发改局", "自然资源局"], "open"),
        ]
        used = set()
        for days, unit_names, fate in plan:
            raised_on = self.cal.next_workday_on_or_after(self.today - dt.timedelta(days=days))
            if raised_on >= self.today:
                raised_on = self.today - dt.timedelta(days=1)
            item = next((c for c in candidates if c.pk not in used and c.lead_unit.name not in unit_names), None)
            if item is None:
                break
            used.add(item.pk)
            raiser = self.reporter_of[item.lead_unit.name]
            units = [self.units[n] for n in unit_names]
            problem = rng.choice(WHISTLE_PROBLEMS)
            raised_at = _at(raised_on, 10, rng.randint(0, 59))
            holder: dict = {}

            def raise_(item=item, raiser=raiser, units=units, problem=problem, raised_at=raised_at, holder=holder):
                holder["w"] = whistle_raise(actor=raiser, item=item, problem=problem, units=units, now=raised_at)

            self.at(raised_at, raise_)
            respond_by = self.cal.add_workdays(raised_on, settings.TAIZHANG_WHISTLE_DEFAULT_DAYS)
            if fate in ("closed", "answered", "escalated"):
                for k, unit in enumerate(units):
                    if unit.name in SILENT_UNITS and fate == "escalated":
                        continue
                    responder = self.reporter_of[unit.name]
                    day = self.cal.add_workdays(raised_on, 1 + k % 2)
                    when = _at(day, 15, rng.randint(0, 59))

                    def respond(responder=responder, when=when, holder=holder):
                        whistle_respond(
                            actor=responder, whistle=holder["w"], response=rng.choice(WHISTLE_RESPONSES), now=when
                        )

                    self.at(when, respond)
            if fate == "closed":
                closed = _at(self.cal.add_workdays(respond_by, 2), 11)

                def close(closed=closed, holder=holder):
                    whistle_close(
                        actor=self.people["duchashi"],
                        whistle=holder["w"],
                        resolution="经现场协调，问题已解决，项目恢复正常推进。",
                        now=closed,
                    )

                self.at(closed, close)
            if fate == "escalated":
                day = self.cal.add_workdays(respond_by, 1)

                def escalate(day=day):
                    whistles_escalate(today=day)

                self.at(_at(day, 8, 30), escalate)
        self.run_timeline()


NOTICE_REPLIES = [
    "已召开专题会议分析滞后原因，倒排工期、压实责任，力争本月底前追赶到时间进度。",
    "已协调施工单位增加作业面和人员，加快推进，确保节点目标按期完成。",
    "已提请包抓领导召开现场协调会，存在问题已明确责任单位和完成时限。",
    "已完成整改，相关手续已办结，项目恢复正常推进。",
]


def _notice_count(district: District) -> int:
    from taizhang.supervision.models import SupervisionNotice

    return SupervisionNotice.objects.filter(district=district).count()


def demo_build(*, today: dt.date | None = None, seed: int = SEED, weeks: int = WEEKS) -> DemoResult:
    """Create the demo district (the caller checks it does not exist yet)."""
    from taizhang.ledger.models import Item, ProgressReport, Whistle
    from taizhang.ledger.services import statuses_refresh

    today = today or local_today()
    builder = _Builder(today, seed, weeks)
    with transaction.atomic():
        district = builder.organisation()
        builder.build(district)
        builder.whistles(district)
        statuses_refresh(district_id=district.pk, today=today)
        # Each module declares its own demo data on its AppConfig (Decidim-style manifest).
        for config in apps.get_app_configs():
            loader = getattr(config, "demo_loader", None)
            if loader:
                import_string(loader)(district=district, today=today, people=builder.people)
    counts = {
        "projects": Item.objects.filter(district=district, kind="project").count(),
        "tasks": Item.objects.filter(district=district, kind="task").count(),
        "reports": ProgressReport.objects.filter(item__district=district).count(),
        "whistles": Whistle.objects.filter(item__district=district).count(),
        "notices": _notice_count(district),
    }
    return DemoResult(district=district, created=True, logins=demo_logins(district), counts=counts)


def demo_load(*, reset: bool = False, today: dt.date | None = None, weeks: int = WEEKS) -> DemoResult:
    """Create the demo district unless it exists (idempotent); ``reset`` recreates it.

    ``weeks``: how many past weeks of progress reports to replay (fewer is faster).
    """
    existing = demo_district()
    if existing and reset:
        demo_delete(existing)
        existing = None
    if existing:
        return DemoResult(district=existing, created=False, logins=demo_logins(existing))
    if District.objects.filter(name=DEMO_NAME).exists():
        raise ValueError(f"A district named {DEMO_NAME} already exists and is not the demo (code {DEMO_CODE}).")
    return demo_build(today=today, weeks=weeks)
