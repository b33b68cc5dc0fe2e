# ruff: noqa: E501  (one sample suggestion a line reads best)
"""A labelled sample for similar_suggestions: 30 suggestions written for the test, in 8 clusters of near-duplicates
(what staff would merge, 并案). Used by proposals/tests/test_selectors.py and benchmarks/similarity.py."""

SAMPLE = [
    ("lift", "关于加快老旧小区加装电梯的建议", "城东街道多个老旧小区建于上世纪九十年代，没有电梯，老年居民上下楼困难。建议简化加装电梯审批流程，加大财政补贴。"),
    ("lift", "关于推进既有多层住宅加装电梯工作的建议", "既有多层住宅加装电梯涉及低层住户利益协调难、资金分摊难，建议出台加装电梯指导意见，明确补贴标准。"),
    ("lift", "老旧住宅加装电梯补贴政策需完善", "目前加装电梯补贴偏低，居民自筹压力大，建议提高加装电梯财政补贴并允许提取住房公积金。"),
    ("lift", "建议为老年人集中的小区优先加装电梯", "高龄老人出行难，建议对老年人集中居住的老旧小区优先安排加装电梯，街道社区协助做好协调。"),
    ("school", "关于缓解学校周边上下学交通拥堵的建议", "实验小学周边上下学时段家长接送车辆乱停，道路严重拥堵，建议设置临时停车接送区，增派交警疏导。"),
    ("school", "解决中小学放学高峰接送拥堵问题", "放学高峰家长车辆占道等候，学校门口拥堵，存在安全隐患，建议错峰放学并建设接送停车场。"),
    ("school", "关于规范校园周边接送车辆停放的建议", "校门口接送车辆停放无序，建议划设即停即走车位，学校与交警部门联合管理上下学交通秩序。"),
    ("school", "建议改善第一中学门前交通秩序", "第一中学门前道路狭窄，上下学时段交通拥堵，学生过马路不安全，建议增设人行天桥和交通信号灯。"),
    ("market", "关于提升农贸市场环境卫生的建议", "部分农贸市场地面湿滑、污水横流、异味严重，建议实施农贸市场改造提升，加强日常保洁管理。"),
    ("market", "建议对城西农贸市场进行改造", "城西农贸市场设施老化，摊位杂乱，卫生条件差，建议列入改造计划，规范摊位设置和排水设施。"),
    ("market", "农贸市场脏乱差问题亟待解决", "农贸市场周边占道经营，市场内垃圾清运不及时，环境脏乱差，建议加强市场监管和环境整治。"),
    ("market", "关于加强菜市场食品安全和卫生管理的建议", "菜市场内生鲜销售区卫生状况堪忧，建议配备快检室，加强农贸市场食品安全抽检和保洁。"),
    ("river", "关于治理城南河道黑臭水体的建议", "城南河道长期黑臭，夏季异味明显，周边居民反映强烈，建议截污纳管，开展清淤和生态修复。"),
    ("river", "建议加快黑臭河道综合整治", "部分河道存在生活污水直排现象，水体黑臭，建议排查排污口，实施雨污分流改造和河道清淤。"),
    ("river", "关于落实河长制改善河道水质的建议", "一些河长履职不到位，河道水质反弹，建议压实河长责任，定期监测水质，整治沿河排污。"),
    ("river", "村级河道污染治理需要加强", "农村河道漂浮垃圾多，养殖污水排入河道导致水体发黑发臭，建议加强村级河道保洁和污染治理。"),
    ("parking", "关于缓解老旧小区停车难的建议", "老旧小区车位严重不足，车辆乱停乱放堵塞消防通道，建议挖潜增设停车位，建设立体停车库。"),
    ("parking", "建议利用闲置地块建设公共停车场", "城区停车位缺口大，居民停车难，建议利用边角地和闲置地块建设公共停车场，推行错时共享停车。"),
    ("parking", "解决医院周边停车难问题", "区人民医院周边停车位紧张，就医车辆排队占道，建议新建医院停车楼，开放周边单位车位共享。"),
    ("parking", "关于推进机关单位停车位错时开放的建议", "夜间居民停车难而机关单位车位空置，建议推行机关企事业单位停车位夜间错时向居民开放。"),
    ("elderly", "关于建设社区老年食堂的建议", "独居和高龄老人吃饭难，建议在社区建设老年食堂或助餐点，对老年人就餐给予补贴。"),
    ("elderly", "建议完善居家养老服务体系", "居家养老服务供给不足，建议发展社区嵌入式养老服务中心，提供助餐、助浴、日间照料等服务。"),
    ("elderly", "关于扩大老年助餐服务覆盖面的建议", "目前老年助餐点数量少、覆盖不全，建议在每个社区设立助餐点，引入专业机构运营老年食堂。"),
    ("elderly", "农村养老服务短板亟需补齐", "农村留守老人多，养老服务设施缺乏，建议建设村级互助养老服务站，提供日间照料和助餐服务。"),
    ("garbage", "关于深入推进生活垃圾分类的建议", "居民垃圾分类投放准确率不高，混收混运现象存在，建议完善分类设施，加强督导和宣传。"),
    ("garbage", "建议解决垃圾分类后混装混运问题", "居民分类投放后垃圾车混装混运，打击居民分类积极性，建议配置分类运输车辆，全程分类收运。"),
    ("garbage", "关于在农村推行垃圾分类的建议", "农村生活垃圾分类基础薄弱，建议因地制宜配置分类桶，建立保洁员督导和积分奖励机制。"),
    ("bus", "关于开通镇村公交线路的建议", "青山镇部分行政村不通公交，村民出行不便，建议开通镇村公交线路，实现公交村村通。"),
    ("bus", "建议加密农村公交班次", "农村公交班次少、间隔长，村民进城看病上学不便，建议加密班次并延长末班车时间。"),
    ("bus", "关于改善偏远村庄公共交通的建议", "偏远村庄公交站点少，老人和学生出行困难，建议优化农村公交线路，增设站点和候车亭。"),
]


class Item:
    """A stand-in with the attributes similar_suggestions reads."""

    def __init__(self, pk, label, title, content):
        self.pk, self.label, self.title, self.content = pk, label, title, content


def items() -> list[Item]:
    return [Item(i + 1, label, title, content) for i, (label, title, content) in enumerate(SAMPLE)]


def precision_at_3() -> float:
    """For each item, the share of its 3 nearest others in its own cluster (over min(3, cluster size − 1)), averaged."""
    from proposals.selectors import similar_suggestions

    pool = items()
    scores = []
    for item in pool:
        found = similar_suggestions(item, limit=3, candidates=pool)
        relevant = sum(1 for other, _ in found if other.label == item.label)
        possible = min(3, sum(1 for o in pool if o.label == item.label) - 1)
        scores.append(relevant / possible)
    return sum(scores) / len(scores)
