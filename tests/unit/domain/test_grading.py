"""Grades read as words (grid_router/domain/grading.py): a table of what is happening now."""

from __future__ import annotations

import pytest

from grid_router.domain.counting import GradeThresholds, parse_count
from grid_router.domain.cues import CueKind, GradeCue
from grid_router.domain.grading import GradeReader
from grid_router.domain.model import Severity

IV, III, II, I = Severity.IV, Severity.III, Severity.II, Severity.I  # noqa: E741 (grade I)
READER = GradeReader()

CASES = [
    # figures of speech are never deaths
    ("店门口的消防通道被送货的货车堵死了，说了也不挪", IV, "堵死了"),
    ("楼下烧烤摊的油烟熏死人了", IV, "熏死人了"),
    ("这天热死了，空调还坏了", IV, "热死了"),
    ("笑死，城管一来摊贩全跑了", IV, "笑死"),
    ("急死了，垃圾三天没人收", IV, "急死了"),
    ("吓死人了", IV, "吓死人了"),
    # hazards are not incidents
    ("楼道里电动车充电，迟早出事", IV, "a hazard"),
    ("存在人员被困隐患", IV, "a hazard named after the cue"),
    # averted, past, over, negated
    ("厨房差点着火", IV, "差点"),
    ("已经灭了，没人受伤", IV, "over and negated"),
    ("两个人打架，没有人员受伤", IV, "negated through fillers"),
    ("不是着火，是烧烤冒烟", IV, "不是"),
    ("去年这里淹死过一个小孩，要装护栏", IV, "history"),
    ("烟灰掉进锅里", IV, "no person fell"),
    ("家里燃气打不着火", IV, "a stove that will not light"),
    ("老人在家去世了，家属要办死亡证明", IV, "natural death, papers"),
    ("鱼死了一大片", IV, "animals"),
    # fire burning now
    ("厨房着火了，火很大", III, "fire now"),
    # people shut in, out of danger
    ("电梯卡在五楼和六楼之间，里面关着三个人，已经半个小时了", III, "stuck lift"),
    ("电梯困人，被困两人，无受伤", III, "stuck lift, unhurt"),
    # trapped, buried, scalded, fallen into water, unconscious: II
    ("厂房里的锅炉爆了，两个工人被烫伤，一个伤得很重", II, "scalded"),
    ("山体滑坡把两户人家的房子埋了，里面可能还有人", II, "buried"),
    ("小孩掉进水池里了", II, "fallen into water"),
    ("化粪池里有个工人晕倒了叫不醒", II, "unconscious"),
    ("着火了，楼上还有人没出来", II, "trapped by fire"),
    ("有人被捅了一刀，捂着肚子", II, "stabbed"),
    # harm already done, told afterwards, still counts
    ("昨晚着火烧死了两个人", I, "deaths told afterwards"),
    ("塔吊倒了，一死两伤", I, "一死两伤"),
    ("厂里死了好几个人", I, "死了好几个人"),
    ("三十多名学生上吐下泻，送到医院", I, "mass casualties by count"),
    ("五个人吃了以后都在医院", II, "a few in hospital"),
    ("约50名工人在门口聚集讨薪", III, "gathering by count"),
    # deaths in everyday words; look-alikes that are not
    ("山上采石场塌方，开铲车的师傅没了", I, "a person gone"),
    ("老人送到医院抢救，已经走了", I, "gone in hospital"),
    ("菜市场有人拿刀乱砍，砍死了一个卖鱼的", I, "a fishmonger is a person"),
    ("厂房起火，两个工人没跑出来，消防确认死了", I, "confirmed dead"),
    ("小区门口有个男的很可疑，保安问了几句，人走了", IV, "someone left"),
    ("老板拖欠了三个月工资，现在人不见了", IV, "a boss gone, not a missing child"),
    ("我家孩子放学到现在不见了", II, "a missing child"),
    ("阿伯在家里过世了，医生说是老毛病走的，不是意外", IV, "a natural death"),
    ("爷爷上个礼拜住院了，孩子一个人在家没人管", IV, "history: last week"),
    # what is heard, what vehicles and devices do
    ("氨气还在漏，目前没听说有人受伤", III, "a leak now, nobody hurt"),
    ("电梯停在半空，里面三个人，按警铃没反应，人说还好", III, "a bell, not a person"),
    ("工人把大门堵住了，货车进不去也出不来", IV, "vehicles blocked in"),
    ("印染厂的管子一直在排红水，河水都变红了", III, "a discharge going on now"),
    ("灭火器都过期了 真着火了拿什么灭", IV, "if a fire really broke out"),
    ("晚上有人在空地斗鸡赌钱，二三十人围着", IV, "twenty to thirty is not thirty"),
    ("几百户人家停水", III, "outage by count"),
    # rhetoric, conditions, things that fall, fires burnt out
    ("地下通道积水到小腿，暂时没有车辆被困", IV, "no vehicle trapped"),
    ("井盖丢了一个礼拜，是等有人掉下去才来修吗", IV, "waiting for someone to fall: rhetoric"),
    ("电梯天天坏，等着出人命吗", IV, "waiting for a death: rhetoric"),
    ("空地上堆满纸板，天气这么热，烧起来阮厝就完了", IV, "if it caught fire"),
    ("工人干活不绑安全绳，砖头掉到他家院子里好几次", IV, "bricks fall, not people"),
    ("门口有人烧纸钱，现在烧完了还有火星", IV, "burnt out"),
    ("油锅烧起来，拿锅盖盖住，现在已经没火了", IV, "no fire any more"),
    ("有人天天在空地烧垃圾，烧的人走了，火也灭了", IV, "whoever burnt it has left"),
    ("工地上一个工人从架子上掉下来了", II, "a worker falls"),
    # deaths said plainly
    ("广告牌砸到路口，一个骑电动车的当场就不行了", I, "a rider is a person"),
    ("一家三口吃野蘑菇中毒，奶奶今天早上在医院去世了", I, "died after poisoning"),
    ("昨晚出租楼着火了，听说一家三口都没跑出来", I, "none got out of a fire"),
    ("独居的王奶奶去世了，家属在办后事", IV, "an elder's death, nothing else told"),
    # negations reach over passers-by, falls and happenings
    ("路面塌陷，没有车辆和行人掉进去", IV, "no vehicle or passer-by fell in"),
    ("担心充电起火，目前未发生起火", IV, "no fire happened"),
    ("暂时没看到有人倒地受伤", IV, "nobody seen down or hurt"),
    ("老人被关在卫生间，隔着门能说话，人没有摔倒受伤", III, "shut in, not fallen, unhurt"),
    ("漏氨气，工人全部撤出，没有人晕倒受伤", IV, "nobody fainted or hurt"),
    # things, exits, burning on purpose, idioms
    ("共享单车堆在人行道上，有几辆倒在地上", IV, "bikes lie on the ground"),
    ("KTV的安全出口被锁", IV, "an exit locked is a hazard"),
    ("有人在烧垃圾，黑烟臭死了", IV, "waste burnt on purpose"),
    ("厂房着火了，火很大，还在烧", III, "a fire still burning"),
    ("业主和租户吵，我们物业夹在中间", IV, "caught in the middle"),
    ("燃气管被挖破了，嘶嘶往外冒气", III, "gas escaping now"),
    # people carried out, harm told before its count
    ("从里面抬出来一个，已经没气了", I, "one carried out dead"),
    ("KTV起火，伤了十几个", I, "injured, then the count"),
    # round four (development set G): threats, fears, quotes, healed harm, illness, no fire
    ("醉汉在店里摔杯子，嚷着要砍死老板，被朋友拉走了，没人受伤", IV, "a threat: 要砍死"),
    ("这块招牌锈成这样，台风一来肯定要砸死人", IV, "a fear: 要砸死"),
    ("井盖丢了，晚上骑车掉下去会摔死人的", IV, "a fear after the cue: 会摔死"),
    ("邻居说楼下“打死人了”，下去一看是两人推搡，没人受伤", IV, "shouted in quotes"),
    ("老板欠薪跑了，有个工友说再不给钱就去跳楼", IV, "a threat said"),
    ("两口子吵架，女的喊着要跳楼，民警来了已经谈好，也没人上天台", IV, "said, no edge"),
    ("有个男的站在楼顶边上喊着要跳楼", II, "said at an edge: danger now"),
    ("工人手受伤治疗结束了，想找份轻活，请帮忙就业", IV, "past and healed"),
    ("孩子的奶奶住院了，孩子一个人在家没人做饭", IV, "illness, no harm named"),
    ("他骑车摔了一跤，现在住院了", II, "in hospital after a fall"),
    ("老伯在家走了，医生说是正常死亡，请社区帮忙办后事", IV, "a natural death"),
    ("村口有人烧一大堆塑料，黑烟滚滚，确认不是火灾，是露天焚烧", IV, "not a fire"),
    ("便利店里一男子持刀挟持店员，警察在谈判", II, "a hostage"),
    ("暴雨，一楼进水齐腰，住户都跑到二楼，人没事但出不来", III, "shut in, safe"),
    ("排污渠冒毒气，附近十来个人呼吸困难", I, "ten or more harmed"),
    # round four (development set H): fears, shouts, exclamations, blood that is no wound
    ("井盖丢了，晚上谁掉下去不摔死才怪", IV, "a rhetorical fear: 才怪"),
    ("他喝了酒说明天要拿刀来砍死我全家，今天没动手", IV, "a threat for tomorrow"),
    ("两口子吵架女的一直喊你打死我算了没动手", IV, "shouted at someone"),
    ("信号太差，打120都打不出去", IV, "a phone that does not get through"),
    ("阿公说不想活了，不过他说的是气话，身体好好的", IV, "said in anger"),
    ("残疾大哥一个人住山上，腿不方便出不来，家里漏雨", IV, "cannot go out, no peril"),
    ("往猪肉里打水，地上都是血水", IV, "血水 is no wound"),
    ("招牌翘起来了，台风来了肯定掉下来砸死人", IV, "feared, and no learned guess raises it"),
    ("有人被骗卷进洗钱案，转了八万", IV, "drawn into a case"),
    ("救命家里进蛇了！！！", IV, "an exclamation that opens the report"),
    (
        "社区有户要申请低保。刚才后面有户厨房烧起来了，火灭了，阿伯手被烫伤了",
        II,
        "a request in another sentence does not make the burn background",
    ),
    ("是不是中毒了，爸妈吃了野生菌头晕呕吐，人在医院", II, "a question is no denial"),
    # round five (set F, retired after one measurement): killings, heights, water, scale
    ("村里发生命案，一名妇女被杀害", I, "a killing"),
    ("仨工人中毒 一个没了 俩在医院", I, "one of them gone"),
    ("邻居老人家昨晚中毒死了", I, "poisoned to death, read whole"),
    ("吊篮绳断了，工人挂在安全绳上在18楼外面", II, "hanging at a height"),
    ("男的坐到6楼阳台栏杆外面说要跳", II, "said at an edge"),
    ("下穿通道积水，小车被淹到车顶，司机还在车里", II, "a driver in a submerged car"),
    ("大树倒在主路上，双向交通中断", III, "traffic cut"),
    ("湖边发现一只白鹭翅膀受伤", IV, "an animal hurt"),
    ("行道树的大树枝断了挂在半空中", IV, "a branch hanging, no person"),
    ("阳台马蜂窝越来越大", IV, "growing, but no fire, water or collapse"),
    # round six (set I, retired after one measurement): a call-taker's questions, counts told
    # after the harm, a child locked in a car, a door pressed, not a person
    ("来电人：井盖没了。话务员：有人掉下去吗？来电人：没有没有", IV, "asked, not told"),
    ("话务员：里面还有人吗？来电人：人都跑下来了，都在楼下", IV, "asked; everyone out"),
    ("工地食堂工人呕吐腹泻，十来个人，120拉走了", I, "ten or more, the harm told before"),
    ("我赶过去，已经二十几个孩子被送去医院了", I, "赶过去 is no history"),
    ("采石场塌方，压了两个人，都没救回来", I, "not saved"),
    ("停车场一辆车里反锁了个小孩，太阳直晒", II, "a child locked in a car"),
    ("屋顶塌了，门被压住，老人困在屋里出不来，人没受伤", III, "shut in, the door pressed"),
    # round seven (set J, retired after one measurement): things and animals are not people,
    # an ambulance lane is a place, people in a car said unhurt are shut in, a condition told
    # in the clause before, measurements of blood, many taken to hospital in one sentence
    ("晚高峰路口堵死了，一辆车都动不了", IV, "traffic at a standstill"),
    ("医院门口电动车乱停，救护车通道被挡住了", IV, "an ambulance lane is a place"),
    ("桥下积水，一辆车熄火了，司机还在车里，人没受伤，车门打不开", III, "in a car, unhurt"),
    ("楼道消防栓箱里水带都没了", IV, "hoses gone, not people"),
    ("饭店的泔水直接倒在路边", IV, "poured, not fallen"),
    ("隔壁把两只狗关在阳台上一整天", IV, "dogs shut in"),
    ("安全出口锁死了，万一有什么事，大家都出不去", IV, "a condition in the clause before"),
    ("吃了那家药店的药，我就是血压一直降不下来", IV, "blood pressure, not blood"),
    ("电梯停在两层中间，里面关着一个快递员，人没事", III, "shut in a lift, unhurt"),
    ("车间十二名工人闻了气味头晕，全部送医", I, "ten or more taken to hospital"),
    ("他犯病了，能不能帮忙联系医院送去住院？", IV, "a stay in hospital asked for"),
    # round eight (sets K and L, retired after one measurement): deaths told plainly, a fire
    # not yet out, the dug-out dead, English, harm healed
    ("桥下积水冲走一辆车，司机死了", I, "a person named before 死了"),
    ("小孩中毒，昨天在医院死了", I, "died in hospital"),
    ("这两天热得人都快热死了", IV, "a figure of speech"),
    ("村里人都冤死了，垃圾不是我们倒的", IV, "a figure of speech: 冤死"),
    ("仓库外面那堆木头从早上烧到现在，一直没灭", III, "a fire not yet out"),
    ("塌方埋了一户，挖出来一个已经没气了", I, "dug out dead"),
    ("Worker fell from the scaffold, his leg is bleeding", II, "English harm"),
    ("My neighbour's kitchen is on fire!", III, "English fire"),
    ("Nobody injured, only the car is broken.", IV, "English negation"),
    ("If the door is locked someone could be trapped", IV, "English condition"),
    ("吃了海鲜两个人拉肚子，今天早上已经好了，没人去医院", IV, "healed, nobody in hospital"),
    ("救护车来了都没地方停，单车堆满了门口", IV, "an ambulance with nowhere to park"),
    # round nine (sets M and N, retired after one measurement)
    ("仓库煤气罐爆炸，死了2个，伤了好几个", I, "a count of the dead after 死了"),
    ("孩子被冲进河里，今天早上在下游找到，已经没有了", I, "found, and gone"),
    ("沟槽塌方埋了一名工人，挖出来已经没有气息了", I, "no breath"),
    ("货车撞上护栏起火，司机卡在驾驶室里出不来", II, "stuck beside a fire, not merely shut in"),
    ("这条路一下雨就淹死人，今天又积水了", IV, "what happens every time it rains"),
    ("腰伤了干不了重活，想问问有没有培训或者工作介绍", IV, "background of a request for work"),
    ("沙滩上有一只海龟搁浅了，好像受伤了", IV, "an injured animal, named in the clause before"),
    # round ten (sets O and P, retired after one measurement)
    ("一家三口吃野蘑菇中毒，男的已经走了，两个还在抢救", I, "a named person gone"),
    ("两个人打架，一个被捅，听说人在医院走了", I, "gone in hospital"),
    ("工人从架子上掉下来，死了", I, "died after a fall, in the next clause"),
    ("师傅从钢架上摔下来，当场就不行了", I, "gone on the spot"),
    ("小孩掉进沟里冲走了，在下游找到，已经没救了", I, "found, not saved"),
    ("食堂吃完饭一下倒了二十几个人，都在吐", I, "twenty fallen, all vomiting"),
    ("有人拿着菜刀在追人，还没砍到人", II, "a knife, chasing people now"),
    ("一个喝醉的男的拿着菜刀在街上乱挥，大家都躲开了", III, "a knife waved, nobody chased"),
    ("便利店被蒙面男子持刀抢走营业款，店员未受伤", IV, "an armed robbery over"),
    ("有人说要拿刀来砍他", IV, "a weapon in a threat said"),
    ("有人拿手机拍窗户", IV, "photographing a window"),
    ("游客挤得动不了，电动车也过不去", IV, "a crowd"),
    ("我的奶茶都没了两次", IV, "a thing gone"),
    ("脚手架上掉下来一根钢管，砸在我前面，差点砸到", IV, "a thing fell, named after"),
    ("有人打电话说她孙子打伤同学要赔钱，叫她转账", IV, "a caller's story"),
    ("申请的残疾人补贴一直卡着没批", IV, "paperwork stuck"),
    ("独居阿伯敲门只有很弱的回应，听着很虚弱", II, "an elder very weak"),
    ("村民用溪水洗衣服，好几个人手上溃烂", II, "harm done by pollution"),
    # round eleven (sets Q and R, retired after one measurement)
    ("冒了烟，已经打灭了，没得人受伤", IV, "a dialect negation: 没得"),
    ("路面一下雨就积水，客户进门要跳着走", IV, "hopping over a puddle, no leap"),
    ("周末社区晚会，阿姨们要跳舞", IV, "a dance, no leap"),
    ("工地的废料半夜偷偷倒在路边空地上", IV, "dumped, not fallen"),
    ("有个男的拿着刀在村里追人，嘴里喊着要杀了他", II, "a knife, chasing people later"),
    ("村里鱼塘淹死了一个小孩", I, "a fish pond is a place, the child a person"),
    ("养殖场的猪淹死了好几头", IV, "pigs, at a farm"),
    ("飞车抢包，阿姨头磕破了", II, "a head cut open"),
    ("一名男子下海游泳，已超过40分钟未返回岸边", II, "a swimmer not back"),
    ("走失的老人今天早上被找到，身体无碍", IV, "found unharmed"),
    # round twelve (sets S and T, retired after one measurement)
    ("房东把锁换了，客人的行李和电脑都还在里面", IV, "things left inside"),
    ("施工围挡倒在路边好几天没人扶", IV, "a hoarding fallen"),
    ("独居阿伯摔在厨房地上起不来，没伤到，我们把他扶起来了", IV, "helped up, unhurt"),
    ("捕鸟网上挂着的绣眼、鹎都死了好几只", IV, "birds by their names"),
    ("沙滩冲上来一头江豚，已经死了", IV, "a porpoise named in the clause before"),
    ("烟花作坊发生爆炸，已造成两死三伤", I, "a count of the dead after a clause with 花"),
    ("办公室窗台外面有个马蜂窝", IV, "a nest outside a window, no person"),
    ("孩子爬到窗台外面了", II, "a child outside a window"),
    # round thirteen (sets U and V, retired after one measurement)
    ("商场餐饮区起火了，有顾客被呛到", II, "choked by a fire's smoke"),
    ("楼下饭店每天被油烟呛到", IV, "cooking fumes, no fire"),
    ("我们急救志愿者过去看了，是着凉", IV, "a first-aid volunteer is a role"),
    ("钱不够付药费，丈夫在医院躺着，房租也交不上了", IV, "hardship, hospital its background"),
    ("跟拍的无人机失控掉到隔壁屋顶上了，房主不在家", IV, "a drone fell, no person"),
    ("两个钓鱼佬闻到臭味就头晕，一个已经倒在地上", II, "an angler is a person"),
    # round fifteen (sets Y and Z, retired after one measurement)
    ("两帮人推搡了几下，被保安拉开了，都没受伤，人已经走了", IV, "people left, nobody hurt"),
    ("昨天晚上那场火，两个人没跑出来都走了", I, "dead in a fire told the day after"),
    ("地下室堆了液化气罐，还有人在里面抽烟", IV, "someone smoking inside, no peril"),
    ("对门老太太家里冒烟了，叫也没回应，烟越来越大", II, "an elder not answering in smoke"),
    ("班上的女孩没到家，有人看到她被一个陌生男人拉上了车", II, "a child taken"),
    ("小区里有陌生人带走了一只狗", IV, "a dog taken, no child"),
    ("爷爷中风后说话不清楚，请村里和民政关心一下", IV, "a stroke, background of a request"),
    # round sixteen (sets AA and AB, retired after one measurement)
    ("两个游客下海游泳，一个被浪卷走了，捞上来已经没呼吸", I, "no breath: dead"),
    ("石场塌方，两个工人被埋，挖出来时两个都已经走了", I, "dug out, and gone"),
    ("推进来一个工人，是叉车翻了压的，没抢回来", I, "not brought back: dead"),
    ("急诊一下子来了十二个小学生，上吐下泻", I, "the harm of all told in the next clause"),
    ("公园里来了二十个人，伤心得很", IV, "sadness is no harm"),
    ("喜酒后有人上吐下泻，卫生院里已经躺了十来个", I, "lying in a clinic are patients"),
    ("醉酒佬拿着铁棍在巴士站乱砸，暂时没有人受伤", III, "a bar held, things smashed now"),
    ("轿车里锁着一个两三岁的小孩，哭得满头大汗", II, "a small child locked in a car"),
    ("有人把一只受伤的白鹭丢在门口", IV, "只 counts animals"),
    ("我在医院做护工，村后面的水沟水是绿的", IV, "a hospital as a workplace"),
    ("小孩头卡在小区栏杆里了，拔不出来，没受伤", III, "a child's head stuck, unhurt"),
    ("西溪一夜之间浮满死鱼", III, "a river full of dead fish"),
    # round seventeen (sets AC and AD, retired after one measurement)
    ("已经有十来个人送到镇卫生院，有老人有小孩", I, "ten taken to a township clinic"),
    ("两个租客吵架，一个拿铁棍把另一个拍死了", I, "beaten to death (拍死)"),
    ("有人下海游泳没上来，刚才捞起来，已经没气了", I, "found, and no breath"),
    ("医院里都是吃坏的人，听说二十多个在挂水", I, "twenty on a drip"),
    ("监控看到凌晨有人顺着落水管往二楼爬", IV, "a drainpipe, no one in the water"),
    ("烧烤店油烟直排，油污都滴到空调外机上了", IV, "grease on an air-conditioner, no person on it"),
    ("家属说药停了，想找社区帮忙送医", IV, "asking for help to take someone to hospital"),
    ("停车堵死了，消防车、救护车都入不来", IV, "an ambulance that could not get in: a hazard"),
    ("老人最怕跌倒，一跌就要住院", IV, "what happens every time"),
    ("围挡压在三轮车上，他卡在驾驶座出不来，说身上没伤", III, "stuck in a driver's seat, unhurt"),
    ("电动车在楼道充电，真烧起来整栋楼都跑不掉", IV, "a fire feared"),
    ("小朋友把自己锁在车里了，天不热，孩子在里面玩不哭", III, "a child locked in a car, at ease"),
    ("工地生活区有人卖散酒，闻着有股工业酒精味", III, "liquor that smells of industrial alcohol"),
    # round eighteen (sets AE and AF, retired after one measurement)
    ("地下车库进水了，有几个人站在车顶上，水还在涨", II, "people on a car roof in rising water"),
    ("工人工钱没拿到，爬到塔吊上面说要跳下来", II, "at an edge, a negation in the clause before"),
    ("边坡塌方压住挖机，司机在驾驶室里出不来，受没受伤不清楚", II, "asked, not said unhurt"),
    ("水库边草丛里发现一具女尸，脖子上有勒痕", I, "a body found"),
    ("车冲上人行道撞人，撞了一路，地上躺了十来个", I, "ten lying where a car struck"),
    ("两台货车追尾起火，前面车里俩人都没救出来", I, "not rescued is not over"),
    ("发现一个男的躺在地上，身上好几个刀口，摸了没有气了", I, "no breath left"),
    ("隔壁两口子又吵架了，女的一直喊不想活了，现在安静了", IV, "despair cried out in a quarrel"),
    ("儿子有精神病，想送医院但是没钱", IV, "hospital as the background of a request"),
    ("养蜂的说打药把他的蜂毒死一大片", IV, "bees"),
    ("塔吊断电了，司机困在驾驶室下不来，人好的，喊话能应", III, "shut in, answering"),
    ("老公把她锁在门外，两个在门口吵", IV, "locked out, not in"),
    ("作坊门口堆了几十个液化气瓶，没围挡也没遮阳", IV, "dozens of cylinders are no crowd"),
    ("空地上有人在烧废轮胎和塑料，黑烟往上冒", IV, "waste burnt on purpose"),
    ("停车场有焦糊味，没看到哪里着火，也没见烟", IV, "no fire seen anywhere"),
    ("夜市门口二十来个人在对峙，有的手里拿钢管", III, "bars in hand"),
    # round nineteen (sets AG and AH, retired after one measurement)
    ("有个男的开车冲进人群，撞了十来个", I, "ten struck"),
    ("仓库着火，两个大人没跑出来，死了，小孩被邻居救出来了", I, "dead in a fire, a child saved"),
    ("昨晚全家吃了野生菌，老伴今早没了，儿子还在医院抢救", I, "a spouse gone this morning"),
    ("教室后门草丛里有条蛇，孩子们都在教室里没出来", IV, "staying inside, no peril"),
    ("两个孩子拉肚子，保健医看过说不像食物中毒", IV, "said not to look like poisoning"),
    ("别的老人也说在家躺着，没人去住院", IV, "nobody went to hospital"),
    ("楼下两个人在吵架，还没看到谁受伤", IV, "nobody seen hurt"),
    # round twenty (sets AI and AJ, retired after one measurement)
    ("群里称有人拿刀砍人，经核实为邻居在楼道杀鱼，实为谣传", IV, "a rumour"),
    ("摆摊摆到路中间，车过不去，救护车要进来都难", IV, "an ambulance hard put to get in"),
    ("急救站值班反映：站点旁有个男的在停车场转悠", IV, "a first-aid post is a place"),
    ("物业不让救护车进，说要先登记", IV, "an ambulance kept out"),
    ("老太太说气得心脏受不了，叫了120，查体无异常", IV, "examined and found well"),
    ("流浪汉今天晕倒，推了葡萄糖后清醒，拒绝送院", IV, "came round"),
    ("老头瘫痪在床，老太太说自己腰也不行了", IV, "a back failing, not a death"),
    ("铁皮棚里天天有人在里面卤猪头肉", IV, "busy inside, not trapped"),
    ("游客溺水，捞上来抢救了半个小时，人还是没了", I, "gone after all"),
    # round twenty-one (sets AK and AL, retired after one measurement)
    ("钢架倒下来压住了干活的人，我朋友说有两个死了", I, "two dead"),
    ("打死我也不信那是正规收购商", IV, "a manner of speaking"),
    ("客人说喝了有点头晕，不要叫救护车", IV, "no ambulance wanted"),
    ("阿公中风后需要有人照顾，三个儿子都说该别人管", IV, "a stroke, the background"),
    ("田里有个老伯被雷劈了，人已经走了", I, "struck by lightning, gone"),
    ("信号塔好像被雷劈了，手机两天没信号", IV, "a mast struck, no person"),
    ("一家四口都中毒了，阿公今天早上在医院走了", I, "a grandfather gone in hospital"),
    ("客人在电话里说，隔壁工厂一个工人倒下，送医院没救过来", I, "told by phone, no scam"),
    ("田里一大堆塑料垃圾着了，火挺大", III, "a big fire"),
    # round twenty-two (sets AM and AN, retired after one measurement)
    ("我女儿被人抱走了！！我追过去已经不见了", II, "a child carried off"),
    ("前面一个驴友在悬崖边拍照掉下去了，同伴说已经没气了", I, "a hiker is a person"),
    ("铁皮屋里经常聚人赌钱，有人在里面输了不少", IV, "gambling inside, not trapped"),
    ("锅里的油 caught fire，已经灭了，没人受伤", IV, "a fire in English, over"),
    ("村口十几个人在打群架，还没看到有人见血", III, "a brawl"),
    # round twenty-three (sets AO and AP, retired after one measurement)
    ("吃完好多人上吐下泻，送医院的有十来个", I, "ten taken to hospital, counted after"),
    ("听说一个老人抢救没过来", I, "not brought round: dead"),
    ("瘫痪在床的爸爸发高烧一直抽，家里就他们俩", II, "convulsing"),
    ("他一直抽烟，熏得我们头疼", IV, "smoking, not convulsing"),
    ("开门后发现老人已经没有呼吸，家属说老人一直卧床身体不好", IV, "a natural death"),
    # round twenty-four (sets AQ and AR, retired after one measurement)
    ("老房子起火，火是灭了，阿婆没跑出来，今天早上确认走了", I, "did not get out, gone"),
    ("小车开进涵洞熄火了，司机没出来，今天早上捞起来人已经不在了", I, "found, no longer with us"),
    ("一家四口吃了野蘑菇，阿公今天下午在医院走了", I, "a grandfather gone this afternoon"),
    ("消防从里面抬出来一个人，是住二楼的阿伯，没了", I, "carried out, gone"),
    ("独居阿婆家停电两天了，叫她只会哼哼，手很烫", II, "barely answering in the heat"),
    ("好几户老人被困在家里出不去，人都在二楼，安全", III, "shut in by water, safe"),
    ("我妈中风两年，一直是我一个人在照顾", IV, "a stroke years ago"),
    ("楼下的车停在单元门口，救护车都靠不过去", IV, "an ambulance kept off: a hazard"),
    ("下穿隧道困了四五辆车，司机乘客都已经自己走出来了", IV, "everyone walked out"),
    # round twenty-five (sets AS and AT, retired after one measurement)
    ("孩子们都没吃，希望查一下食堂，扁豆没熟是会中毒的", IV, "poisoning that would follow"),
    # round twenty-six (sets AU and AV, retired after one measurement)
    ("三楼在冒烟，一楼二楼的人都跑出来了，但是四楼还有一个老人和一个小孩没下来", II, "some remain"),
    ("加装电梯的审批走了一年多还没下来", IV, "papers, not people, not come down"),
    ("两名驴友走岔了路，天黑没下来，刚刚联系上了，在护林员小屋里", IV, "no cue: the model judges"),
    ("出租屋里被房东发现租客死在屋里，身上有刀伤", I, "a body found at home"),
    ("出租屋凌晨起火，火已扑灭，一个租户被发现时已经没有了生命体征", I, "没有了生命体征"),
    ("送来十来个工人，呕吐抽筋，有一个送来就没抢救过来", I, "一个 is a count, not a habit"),
    ("车间倒了一片，呕吐肚子痛，听说有二十几个被救护车拉走了", I, "taken away by ambulance"),
    ("路面下陷出一个坑，一辆电动车差点翻进去，未有人员受伤", IV, "未有人员 negates"),
    ("醉酒男子在烧烤摊前叫骂、摔啤酒瓶，未动手，无人受伤", IV, "a barbecue stall is no fire"),
    ("一辆小货车车头一直在冒火，司机自己跳下来了，没事", III, "the driver jumped clear"),
    ("病人家属在门诊大门口拉横幅说医院治死了人，要赔钱，坐在地上不走", IV, "a death blamed"),
    # round twenty-seven (sets AW and AX, retired after one measurement)
    ("出租屋里一对夫妻吵架，男的把女的杀了，现在警察在楼下", I, "killed"),
    ("他喝多了，说要把他杀了", IV, "a threat to kill"),
    ("十来个人倒了，后来听说医院收了13个", I, "thirteen taken in by a hospital"),
    ("塔吊吊物坠落未伤人", IV, "a load fell, nobody hurt"),
    ("广告牌倒了砸到路人，一个当场走了，还有一个伤", I, "当场走了"),
    ("阿嬷说孙子不见了，六岁，在楼下玩，三个多钟头找不到", II, "a grandson missing"),
    ("碎石飞到路边差点砸到人，电线也被砸过", IV, "a wire struck, not a person"),
    ("厂房后门消防通道锁铁链，货堆满出不去", IV, "a blocked exit is a hazard"),
    ("厂房着火了，消防通道锁了，人出不去", II, "a blocked exit in a fire"),
    ("她老公吵完架，把自己和两个孩子反锁在家里，说要开煤气一起死", II, "murder-suicide threatened"),
    ("两口子吵架，她说不想跟他过了，要死一起死", IV, "cried out in a quarrel"),
    # round twenty-eight (sets AY and AZ, retired after one measurement)
    ("码头那边一帮人群殴，地上躺着四个，听说一个已经没气了", I, "one of those counted"),
    ("打群架，有一个人被打得很重，今天早上在医院没了，还有俩受伤", I, "在医院没了"),
    ("三个工人下井都没上来，消防拉出来，一死两个重伤", I, "一死两个重伤"),
    ("老人在床上走了，看着很安详，一直有心脏病，120来了说已经去世好几个小时了", IV, "natural"),
    ("老人有心脏病，刚才倒在地上，120来了在抢救", II, "a heart patient collapsed now"),
    ("又在放炮，石头飞到路上，我送单的路被砸了个坑", IV, "a road struck"),
    ("雨一下小区门口就淹，鞋子全湿，“淹死人了”，年年报年年这样", IV, "quoted, every year"),
    ("留守儿童跟着奶奶生活，奶奶近期摔伤行动不便，孩子吃饭没人管", IV, "a lasting state"),
    # round twenty-nine (sets BA and BB, retired after one measurement)
    ("冲床把我表弟的手压了，三根手指伤得很重，送长庚了", II, "伤得很重"),
    ("有人往滩涂上倒建筑垃圾和油污，海蛎都死了", IV, "oysters, not people"),
    ("停车场晚上每天都有一伙人在车里、棚子下打牌赌钱", IV, "every day, not now"),
    ("今天又淹到膝盖，车开不出去，人出门要淹死了都", IV, "a fear, not a death"),
    ("两伙人打群架，一死俩伤，死的那个是被钢管打到头", I, "一死俩伤"),
    ("两伙人打群架，拿钢管啤酒瓶，地上躺了十几个", I, "ten or more lying after a fight"),
    ("巷子里的水已经到大人腰了，好几辆车泡在水里熄火，水还在涨", III, "cars soaked"),
    # round thirty-one (sets BC to BF, retired after one measurement)
    ("山着火了，火烧得很大，我们队还有三个人在上面的防火道上下不来", II, "stuck in a fire"),
    ("电梯卡在五楼下不来，里面两个人，说没事", III, "a lift, out of danger"),
    ("有个女的爬山迷路，天黑了，打电话说脚扭了", II, "hurt and lost"),
    ("已经有老人在这里崴了脚，希望尽快修补", IV, "a past sprain in a repair request"),
    ("菜市场有个男的拿刀在乱挥，还没伤到人，大家都跑了", III, "bystanders fled, not him"),
    ("有个男的拿刀在乱挥，被保安制服了", IV, "subdued"),
    ("奶奶这个月中风住院了，孩子这几天自己煮面吃，放学也没人管", IV, "a child left alone"),
    ("男的工伤住院，女的一个人带娃，奶粉钱都没了", IV, "a mother left alone"),
    ("一下雨小区门口就积水，没过脚踝，快淹死人了", IV, "快…淹死 is a figure"),
    ("留守的小孩跟着奶奶住，奶奶眼睛看不见了", IV, "blind, not missing"),
    ("院里一位老人的金戒指不见了", IV, "a ring gone"),
    ("摆摊卖祖传跌打药酒的，说骨折喝一瓶就好", IV, "a cure claimed"),
    ("废弃的矿洞洞口没封，晚上看不见，掉下去就出不来了", IV, "if one fell in"),
    ("今天下午一块砖从工地楼上掉下来，正好砸在我们院门口", IV, "a brick fell"),
    ("一户民房今天中午失火，独居的八十多岁阿嬷没能救出来", I, "没能救出来"),
    ("昨晚有间厝烧起来，一个阿婆没逃出来，今天早上听讲已经走了", I, "did not get out, gone"),
    ("食堂中午吃了以后一下子倒了二十几个 有的嘴唇发紫", I, "twenty-odd fell"),
    ("村里好几户喝了井水上吐下泻，前后送去医院十四个人", I, "fourteen to hospital"),
    ("昨晚吃了海蛎粥，半夜拉肚子，早上去挂了水，现在已经没事了", IV, "recovered"),
    # round thirty-two (sets BG and BH, retired after one measurement)
    ("夫妻吵架，男的把自己和老婆锁在屋里，说把煤气打开了要一起死", II, "despair, gas at hand"),
    ("塔吊吊钢筋，捆扎没绑牢掉下来一捆，砸在空地上", IV, "a bundle fell"),
    ("独居的阿公今天一天没出来，敲门他应了一声，说腿痛起不来，想请社区来看看", IV, "pain"),
    ("独居老人在家摔倒了，起不来", II, "a fall"),
    ("阿伯一个人住，今天开门，人已经走了，医生来看说是病死的", IV, "a natural death"),
    ("巷子口一下雨就积水，淹死了，电动车过不去，每次下雨都这样", IV, "a word for the water"),
    ("两帮人打群架，有人拿棍子，躺了好几个，数了数十一二个挂彩的", I, "eleven or twelve hurt"),
    ("村里好多人上吐下泻，到现在送到医院的已经十一个了", I, "eleven to hospital"),
    ("赶海的人十几个手脚起红疹、起泡，还有人呕吐，全部送医院了", I, "a rash on a dozen"),
    ("好多学生肚子痛发烧，现在医院里有三十多个孩子", I, "thirty in hospital"),
    ("楼烧起来了，刚抬下来两个，一个没动静，医生说不行了", I, "carried down and gone"),
    ("五六个游客被困在礁石上回不来，站在高的地方，水还没上来，人都好好的", III, "safe for now"),
    ("积水太深车熄火了，车上二十几个人，大家都还好，就是出不去", III, "shut in, all well"),
    # round thirty-three (sets BI and BJ, retired after one measurement)
    ("山路冲垮了，一辆拉菜的货车翻下去，司机没了，车还在沟里", I, "the driver, not the greens"),
    ("剩菜热了再吃，一家五口都中毒了，老太太已经走了，其他人在抢救", I, "an old woman gone"),
    ("工地脚手架没有挂防护网，上面掉下来过扳手", IV, "has happened before"),
    ("保安老张孤寡一人，摔伤腿在家躺着，没人做饭", IV, "a man alone with no meals"),
    ("有几个人说肚子有点不舒服，都没去医院，现在都好了，不算食物中毒", IV, "不算"),
    ("喝醉的男的拿着铁棍在市场门口乱挥，嚷着要砸人，旁边有老人小孩", II, "meant for people"),
    # round thirty-four (sets BK and BL, retired after one measurement)
    ("店面着火了，老板一家住在阁楼上，我们拍门没人应，里面烟很浓", II, "no answer in a fire"),
    ("独居阿伯好几天没出门，拍门没人应", IV, "no fire: the learned guess judges"),
    ("仓库有东西在漏，看到两个保安倒在门口，嘴边有白沫", II, "froth at the mouth"),
    ("挡土墙垮了，土石冲到路上埋了一辆车，不知道车里有没有人", II, "someone may be inside"),
    ("被开除的员工拎着一桶硫酸站在厂门口，说要泼老板，谁靠近就泼谁", II, "acid meant for people"),
    ("垃圾桶边上一个男的躺着，身上好几处刀口，已经没气了，身体都凉了", I, "cold"),
    ("老人躺在床上已经走了，身子都凉了，看样子是夜里睡着走的", IV, "died in his sleep"),
    ("舅舅和我爸吃了野生菌，舅舅今天凌晨走了，我爸还在医院ICU", I, "an uncle gone"),
    ("一辆车冲进买菜的人群，十来个人躺在地上，有的一动不动", I, "ten lying on the ground"),
    ("仓库起火，十几名工人被烟呛到，陆续送往医院", I, "a dozen choked by smoke"),
    ("阿公坐在椅子上一动不动，一直有心脏病，医生说是夜里自己走的", IV, "a natural death"),
    # round thirty-five (sets BM and BN, retired after one measurement)
    ("站外路边一名女子被男子强行拖上车，往环岛路方向开了", II, "dragged into a car"),
    ("醉酒男子躺在站台，叫不醒，有呼吸，已通知派出所", IV, "drunk, breathing"),
    ("阿婆院子里掉下来一只大鸟，翅膀好像受伤了", IV, "a bird fell"),
    ("货车停在路边卸建材，接送孩子的车动不了", IV, "cars stuck, not children"),
    ("阿婆打120说头晕，到场后阿婆身体无大碍", IV, "an ambulance found nothing grave"),
    ("几个居民嗓子有点不舒服，怀疑化工厂偷排废气，都不需要送医", IV, "不需要 negates"),
    ("老婆打120说头晕，到场发现是气的，没有外伤，拒绝送医", IV, "拒绝送医"),
    ("老人在家摔倒了，头破了，叫了120", II, "an ambulance called for a fall"),
    # round thirty-seven (sets BO to BR, retired after one measurement)
    ("捡到受伤的鸟", IV, "捡到 is no doer"),
    ("路上捡到一条受伤的小狗，送到哪里", IV, "a dog"),
    ("捡废品的受伤了，腿在流血", II, "a doer is a person"),
    ("精神不太好的阿辉不吃药了，乱走大喊，想请社区帮忙联系送医", IV, "arranging care"),
    ("阿嬷一个人住，最近腿脚越来越不行了，能不能申请补助", IV, "legs failing"),
    ("楼上老人越来越不行了，喘不上气，快叫120", I, "a person failing"),
    ("楼顶掉下来一个无人机，挂在空调外机上，随时会掉", IV, "a drone on an AC unit"),
    ("一个小孩爬出窗户，现在在空调外机上", II, "a child on an AC unit"),
    ("老两口吃了山上采的蘑菇，现在都在吐，阿公叫不太醒了", II, "hard to wake"),
    ("阿公摔了一跤，120也叫了，请帮忙协调", II, "120 called"),
    # round thirty-eight (sets BS to BV, retired after one measurement)
    ("排除食物中毒，但从业人员无健康证", IV, "ruled out"),
    ("后厨有老鼠窜来窜去，厨师看见了也没反应，照样炒菜", IV, "staff who do nothing"),
    ("跟物业说了好几次也没反应", IV, "staff told"),
    ("我们看到一个老人躺着，叫他没反应", II, "unconscious"),
    ("两个邻居为了车位吵得跟要出人命一样，其实没动手", IV, "a likeness"),
    ("老有蛇爬进院子，昨天厨房里发现一条，不知道有没有毒，已经打死了", IV, "a snake killed"),
    ("山坡崩落来，埋着一间铁皮厝，内底平常有一个外地人住，不知有出来无", II, "maybe inside"),
    ("招牌掉落来，砸着一个行人，阿嬷讲人已经无气了", I, "无气 (Minnan)"),
    ("煤气罐已经无气了，换不了", IV, "no gas"),
    ("阿公跋落山沟，脚断去，行袂动", II, "fallen, a broken leg (Minnan)"),
    ("一个工人从顶楼跋落来，当场就无气了", I, "dead on the spot (Minnan)"),
    ("采石场塌方，阿伯讲一个死三个伤", I, "one dead, three hurt"),
    ("今早一个老伯没了，还有俩在医院抢救", I, "an old man gone"),
    ("厂房烧得很大，有一个人没跑出来，已经抬出来了，没救了", I, "carried out, beyond help"),
    ("火已经扑灭了，听说两个工人没出来，刚抬出来，盖着布", I, "covered with a cloth"),
    ("货物抬出来了，盖着布放在门口", IV, "goods covered"),
    # round forty-one (sets BW to CH, retired after one measurement)
    ("电线杆上挂了一排横幅，有一条掉下来一半挡着红绿灯", IV, "a banner half down"),
    ("一个工人从脚手架上掉下来一半挂在外面", II, "a worker half down"),
    ("红布挂得到处都是，风一吹掉下来缠在电线上", IV, "blown down"),
    ("大树有根枝丫裂开了，吊在半空吓死人了", IV, "a branch hanging"),
    ("有个小孩吊在半空，手抓着栏杆", II, "a child hanging"),
    ("工地一块模板从楼上掉下来，就砸在人行道上", IV, "formwork"),
    ("店家把装修垃圾倒在路边，占了半条路，救护车进巷子都难", IV, "an ambulance would struggle"),
    ("山里信号太差，村民说打120都要跑到村口", IV, "hard to call for help"),
    ("房东不退押金，我们是血站的护士", IV, "a blood station"),
    ("老人走了，是在家里睡觉的时候走的，想问死亡证明怎么开", IV, "died asleep"),
    ("脚手架倒了，压住两个工人，人还压着", II, "pinned"),
    ("用石头压住篷布", IV, "a tarpaulin held down"),
    ("大树倒下压住一辆出租车，车内无人", IV, "a car pinned, nobody inside"),
    # round forty-two (sets CI to CL, retired after one measurement)
    ("我妈住院前就反映过：楼道的消防通道被两辆破车堵死了", IV, "a stay in hospital as a date"),
    ("我在医院陪我妈，邻居说我们楼下空调外机着火了，楼里的人都下来了，没人受伤", III, "where"),
    ("我爸在医院，我妈被关在卫生间里出不来，她说没摔着", III, "someone else's stay"),
    ("我爸从梯子上摔下来，现在在医院", II, "in hospital after a fall"),
    ("工人被倒下的架子砸到，送去医院了，其他人都没事", II, "hurt, the others fine"),
    ("七个人吃完都拉肚子，现在都在医院挂水，其他同事都没事", II, "the others fine"),
    ("她女儿在养老院动不了，想问后事怎么办", IV, "a lasting state"),
    ("老人摔在地上动不了", II, "cannot move after a fall"),
    ("她在卫生间里一直动不了", II, "still cannot move"),
    ("两个人打起来了，他被压着打，头都破了", II, "pinned and beaten"),
    ("游客通道宽度被压缩至约2米", IV, "a passage narrowed"),
    ("1根钢管（长约3米）坠落至人行通道，无人受伤", IV, "a counted thing in figures"),
    ("门牌号跟地图上的不一样，有两次救护车也找错楼", IV, "an ambulance cannot find the door"),
    ("对面楼有人从窗户爬进去了，现在还在里面翻东西", IV, "a thief inside"),
    ("电梯坏了，十八楼坐轮椅的大叔下不来，家里吃的都没了，人还好", III, "food gone, not a person"),
    ("地下室冒烟，有明伙，物业在疏散住户", III, "明伙 (a typo)"),
    ("暴雨积水，十来个游客困在二楼下不来，都挺好的，就是出不去", III, "stuck, all well"),
    ("挡土墙冲塌了，五六户人家出不来，打电话说人都平安", III, "stuck, safe"),
    ("地下车库进水了，出口被水堵住了，人没事但是出不去", III, "a way out flooded"),
    ("小货车自燃，司机已经跳下来了没事，火还在烧", III, "jumped out of a vehicle, fine"),
    ("菜市场有人拿刀砍人，一个卖菜的阿姨当场就没了", I, "a vegetable seller killed"),
    ("养蜂的说柚子园打药把他的蜂毒死一大片，要对方赔", IV, "bees killed"),
    ("塘边草丛里躺着一个人，身上好几处刀口，已经硬了", I, "a body stiff"),
    ("馒头放了三天已经硬了", IV, "bread gone hard"),
    ("我外公在ICU，外婆没了。凌晨家里老房子烧起来", I, "a grandmother gone"),
    ("工人从吊篮上掉下来死了", I, "fell to death"),
    ("路面塌陷，一辆电动车连人掉进去，骑车那个大哥没救上来", I, "not saved"),
    ("孩子掉进河里了，还没救上来", II, "not saved yet"),
    ("车被冲进涵洞，今天早上车捞出来了，人已经不在了", I, "found gone"),
    ("观光车翻了，数了下受伤的有十二三个", I, "twelve or thirteen hurt"),
    ("婚宴后宾客腹痛腹泻，截至上午10时统计就医人数二十三人", I, "twenty-three seen by doctors"),
    ("请问那家卤味店是想毒死人吗", IV, "an accusation"),
    ("他想翻墙被电死了", I, "a death after an attempt"),
    ("老爷子中风了，老太太背不动他下楼去看病，问能不能有上门的医生", IV, "a home doctor asked"),
    # round forty-three (sets CM to CP, retired after one measurement)
    ("餐厅里两伙人打起来了，桌椅都砸了，有人挂彩了", II, "挂彩: wounded"),
    ("婚庆公司的人在门口挂彩带", IV, "ribbons hung"),
    ("有人拿刀捅人，一个倒在地上不动了，好像死了", I, "seems dead"),
    ("楼下的猫好像死了", IV, "a cat"),
    ("扫墓发现阿公的坟被人挖开了，骨灰坛不见了", IV, "an urn gone"),
    ("市场一楼全淹了，排水口堵住了水下不去，暂时没人受伤", IV, "the water cannot drain"),
    ("老房区水管爆了，一楼两户老人家门口水没过膝盖，说不敢出门，人都好", IV, "all well"),
    ("隔壁装修把墙打穿了一个洞，灰全掉进教室", IV, "dust fell"),
    ("我昨天吃了拉肚子，今天已经好了。不是说中毒，就是想让他们查查卫生", IV, "not poisoning"),
    ("两伙人推推搡搡，不过没动手打伤人，保安来了都散了", IV, "no one hurt"),
    ("村边菜地里有人在烧一大堆塑料薄膜，黑烟滚滚，火不大", IV, "burnt on purpose"),
    ("有人把电动车锁在我家车位上，吵起来了", IV, "a vehicle locked"),
    ("市政消火栓一直在漏水，流了两天了", IV, "water leaking"),
    ("一个男的从阳台翻进六楼人家窗户，鬼鬼祟祟的，现在还在里面", IV, "an intruder inside"),
    ("小孩爬进一个深坑里，现在还在里面", II, "a child in a pit"),
    ("昨晚民房火灾，有一个人没出来，死了", I, "did not get out, died"),
    ("两个人吵架说要打死对方，保安拉开了，没有人受伤，人都走了", IV, "people left"),
    # round forty-four (sets CQ to CT, retired after one measurement)
    (
        "工厂飘过来刺鼻的气味，低保户家里两个老人头晕呕吐，已经送医院了",
        II,
        "a household's standing",
    ),
    ("老公又住院了，想问低保怎么申请", IV, "a request for 低保"),
    ("小工被反锁在冷库里快半个小时了，他在里面拍门越来越没力气", II, "weakening"),
    ("工人说老板欠他工资，爬到大桥外侧拱上要往下跳，下面就是溪", II, "at an edge"),
    ("租户把自己反锁在储物间里，说谁进来就开煤气罐点火", II, "a threat with gas at hand"),
    ("环卫工阿姨掀井盖清理，被毒气熏倒掉了下去，捞上来已经没救了", I, "overcome, beyond help"),
    ("吃了河豚，老林今天早上走了，儿子还在医院抢救", I, "老林 gone"),
    ("老板今天早上走了，店门关着", IV, "the boss left"),
    ("叫他退房叫不醒，120来看了说已经走了好几个小时，应该是心脏的问题", IV, "found dead, natural"),
    ("有人在群里喊“食物中毒了”，其实到现在谁都没有不舒服", IV, "shouted in quotes"),
    ("有人在田边烧塑料垃圾，火已经没了，现在还闷着冒烟", IV, "the fire out"),
    ("有人在里面翻东西，现在还没出来", IV, "a thief not out yet"),
    ("我已经把人都叫出来了，货还在里面", IV, "goods inside"),
    ("被人扔了七八辆共享单车，半截泡在水里", IV, "bikes soaked"),
    ("卫生间门锁坏了出不来，已经关了两个钟头，人说话清楚，没有摔着", III, "shut in, unhurt"),
    ("KTV冒浓烟，几十个人往外跑，3名客人吸了烟呛晕送医了", II, "three to hospital"),
    ("坐在外面的客人被烧到的有十几个，有的头发都焦了", I, "a dozen burnt"),
    ("员工餐后十好几个员工都开始吐、拉肚子，现在一车一车往医院送", I, "a dozen and more sick"),
    # round 47: from the misses of sets CU to DF
    ("石头飞过来把屋顶砸穿了，我儿子在屋里头被砸破了，缝了七针", II, "stitches"),
    ("我家泰迪被一只没拴绳的哈士奇咬了，缝了六针，人都没被咬", IV, "a dog's stitches"),
    ("一个阿姨被骑摩托的抢了包，被拖了好几米，膝盖和手肘都磨烂了", II, "dragged, scraped raw"),
    ("服用上门推销的保健品后肝功能异常，现住中山医院治疗", II, "harm from what was taken"),
    ("说被人关在一个屋子里，对方要我转两万块，不然不放人", II, "held for money"),
    ("包工头把七八个工人锁在板房里，说干满一个月才放人，人都没受伤", III, "held, unhurt"),
    ("后山菜地阿伯被蛇咬了脚，脚背肿得很快，人开始冒冷汗", II, "a snakebite"),
    ("看到顶楼平台被一户人家盖了两间房，装太阳能热水器的时候还在里面烧饭", IV, "cooking"),
    ("外墙施工，吊篮晚上就挂在半空晃，工人走的时候也没收", IV, "a cradle hanging"),
    ("路面挖开后只拉一根绳子，老年人夜间行走极易跌落", IV, "would fall"),
    ("有家长接到电话，说孩子受伤了要先转钱，其实孩子好好的在上课，是骗子", IV, "a scam's story"),
    ("男的干活受伤了在家躺着，女的带三个小孩，房租交不起", IV, "an injury at home"),
    ("物业半夜把地库出口的人行门都锁死了，七八个人被关在地库里，人都没事", III, "locked"),
    ("在水沟里找到失踪的阿伯，人已经走了", I, "found gone"),
    ("KTV失火，说烟太大，救护车拉走了十几个人", I, "a dozen taken away"),
    ("早上发现睡在里面的一个流浪汉已经没气了", I, "a vagrant"),
    ("火灭了，可是消防员从二楼抬出来两个人，盖着白布", I, "under white sheets"),
    ("两个厨师喝酒吵架，一个拿菜刀把另一个砍了，人没了", I, "a kitchen knife"),
    ("两个人吵架，其中一个被捅了好几刀，倒地没气了", I, "one of two"),
    ("排污沟里的气体把一个下去捡东西的老人熏死了", I, "killed by fumes"),
    ("垃圾桶满得溢出来了，那个味道能把人熏死", IV, "a figure of speech"),
    ("一个在山上摘龙眼的阿伯被雷劈到，已经走了", I, "struck by lightning"),
    ("信号塔好像被雷劈了，手机两天没信号了", IV, "a tower struck"),
    ("厂昨晚烧起来了，今天早上才扑灭，听说有3名工人在里面没逃出来", I, "not out of a fire"),
    ("出租房着火死人了，凌晨三点多烧起来的", I, "a death in a fire"),
    ("医院急诊已经收了十几个，还有人在往医院去", I, "a dozen in casualty"),
    ("一个捡废品的老伯在那附近死了", I, "an old man dead"),
    ("她老公去年病死了，自己带两个小孩，有没有补助可以申请", IV, "a husband's death, past"),
    ("一个中年男人突然倒地，没呼吸了，我们店的员工在做心肺复苏", II, "being revived"),
    ("三个工人，两个已经没气了，一个还在抢救", I, "two dead, one revived"),
    ("阿公每日看伊们把换落来的废机油倒落水沟", IV, "poured into the gutter"),
    ("这两礼拜都无出来买菜，讲脚痛行袂动，人是无代志", IV, "pain keeps him in"),
    # round 48: from the misses of sets DG to DJ
    ("摊子全摆到马路上，车根本过不去，我们医院的救护车都开不出来", IV, "an ambulance kept in"),
    ("客户在山上捡的小动物，像小鹿一样，应该是麂子，腿受伤了", IV, "a muntjac"),
    ("共享单车堆成山，出站的人要侧着身子挤出来，盲道全被压了", IV, "a tactile path"),
    ("店门口被人放了个纸箱，里面像是一条小狗，动不了", IV, "a puppy told last"),
    ("老人被狗咬了，动不了", II, "an old man bitten"),
    ("卖的鸡爪白得不正常，泡在水里，凑近有股药水味", IV, "chicken feet soaked"),
    ("我妈中风在家躺着，我一出海就是好几天，有没有上门照顾的服务", IV, "a stroke at home"),
    ("海边今早漂上来一个人，听说是昨天下海游泳没上来的那个", I, "a body washed up"),
    ("出租屋凌晨着火，据邻居说烧死了一个人，家属托我们问怎么找房东索赔", I, "a fire's death"),
    ("老围墙被雨泡塌了，压到下面搭棚子住的一个老伯，挖出来已经走了", I, "dug out, gone"),
    ("商场着火了，看见十几个人被抬出来，吸了烟一直在咳", I, "a dozen carried out"),
    ("十来个人一起吃了盒饭，现在有四五个吐得厉害，两个站不起来了，120拉走了俩", II, "some"),
    ("好多小朋友发烧拉肚子，二十多个孩子请假了，有几个住院了", I, "harm of all told first"),
    ("化工厂在冒黄烟，有一个女孩子直接晕在路边了，旁边人在扶", II, "fainted"),
    ("一排电动车在充电，插线板从窗户拉出来的。这要烧起来整栋楼就一个楼梯", IV, "if it burns"),
    ("那片菜地又有人在烧拉圾，黑烟滚滚", IV, "burning rubbish, misspelt"),
    # round 50: from the over-escalations of sets DK to DR
    ("我是送医疗器械的，楼道里七八辆电动车在充电", IV, "a delivery of medical devices"),
    ("两个人都来接，在园门口抢孩子，后来妈妈抱走了，没动手打人", IV, "a parent took the child"),
    ("孩子在门口玩，被一个陌生人抱走了", II, "a child taken by a stranger"),
    ("招牌的螺丝掉了，风一吹就晃，底下是人行道，掉下来要砸人的", IV, "would fall"),
    ("我来这里看一辆被砸的车，顺便反映一下", IV, "a car struck"),
    ("安全出口被锁死了，里面每天几十个老人在跳舞打牌，真有事跑不出来", IV, "if"),
    ("我们图文店就在医院斜对面", IV, "across from the hospital"),
    ("我们楼有个阿嫂中风了半边不能动，有没有老人助餐，能不能送饭上门", IV, "a lasting stroke"),
    ("塔吊还在吊钢管，有一根掉下来砸在人行道上，没人受伤", IV, "one bar fell"),
    ("二十几个业主堵在物业办公室，吵得快出人命了，其实就是拍桌子骂人", IV, "nearly"),
    ("他来我这买油毡，钱不够，我送了他一卷，但房梁也快不行了", IV, "a beam failing"),
    ("私宰狗的窝点，有几只狗嘴边还有白沫像是毒死的", IV, "dogs poisoned"),
    ("打牌的十来个人里有六七个肚子痛呕吐，现在都在镇卫生院挂水", II, "six or seven of ten"),
    # round 52: from the misses of sets DS to DZ
    ("井盖被偷了一直没补，昨晚一个老伯掉下去，今早才被发现，已经去世了", I, "a fall, then dead"),
    ("昨天一个老人从楼梯上跌落，送医后今天去世了", I, "a fall yesterday, dead today"),
    ("去年老伯从楼梯上跌落，后来去世了，现在子女在争房子", IV, "long ago"),
    ("一路都是渣土车掉下来的泥，下过雨滑得很", IV, "mud that fell from trucks"),
    ("有户人在楼道里烧纸钱，烟出不去，楼道呛得很", IV, "the smoke cannot clear"),
    ("消防通道被堵死了。上周老洪犯病，救护车在外面绕了十分钟", IV, "an ambulance last week"),
    ("上周老洪犯病，现在救护车还在外面进不来，人躺在地上", II, "back to now"),
    ("上个月被狗咬伤，去黑诊所打的疫苗，前几天发作，昨天在医院去世了", I, "a death followed"),
    ("饭店楼上的包厢天天有人打麻将赌钱，还有人在里面放贷", IV, "lending inside"),
    ("塔吊吊钢筋时一捆脱钩掉下来，砸在空地上，差点砸到人", IV, "a bundle fell"),
    ("沙滩上发现一只大海龟，壳有盆那么大，好像受伤了，爬不动", IV, "a turtle hurt"),
    ("沙滩上发现一只大海龟，旁边一个小孩好像受伤了，哭个不停", II, "a child hurt"),
    # round 55: from the under-escalation of set EL
    ("昨晚厂房起火，很快扑灭了，值班的老王没跑出来，今天确认去世", I, "a death after a fire"),
    ("昨晚仓库着了火，没人受伤。隔壁阿婆上个月去世了，房子一直空着", IV, "a death long ago"),
    # round 57: from the over-escalations of sets EQ, ER and ET
    ("巷子两边全是摊位，救护车开不过去，只能停在路口", IV, "an ambulance stopped"),
    ("急诊楼下天天有车停着，救护车被堵在巷口", IV, "an ambulance blocked"),
    ("工地边的告示牌松了，底下人来人往，掉下来可不得了", IV, "a fall that would follow"),
    ("今年塘里水温掉下来，死了一大半，想问有没有补贴", IV, "a measure fell"),
    ("一个工人从架子上掉下来，当场死了", I, "a person fell"),
    ("有人半夜把装修拉圾倒在路边，砖头一大堆", IV, "rubbish dumped"),
    ("隔壁养鸡场一到夏天臭到要昏倒", IV, "a smell told by what it would do"),
    ("这条沟臭得开车的人在车里都快吐了", IV, "a smell told by what it would do"),
    ("车间里热得两个工人晕倒了，叫了120", II, "heat that made people faint"),
    ("他中风两年了，老婆走了，孩子还小，想找个在家能做的活", IV, "gone, after a lasting state"),
    ("他中风倒在家里，叫不应", II, "a stroke now"),
    ("爷爷卧床好多年，今早在家自然去世，遗体要怎么处理", IV, "a natural death"),
    ("独居老人敲门叫不应，开门一看人已经走了，很安详", IV, "found after a natural death"),
]


def test_a_phrase_inside_a_longer_one_read_already_decides_nothing() -> None:
    fell_in = GradeCue("掉进", II, CueKind.DANGER)  # a subcategory's own cue
    reading = READER.read("路面塌了一个大坑，还好没有车掉进去", [fell_in])
    assert reading.grade == IV, reading


@pytest.mark.parametrize(
    ("text", "settled"),
    [
        ("电梯卡在五楼，里面两个人，人都没事", "people shut in, out of danger"),
        ("独居老人在家去世了，家属说是老毛病", "a natural death: 老毛病"),
        ("厨房着火了", None),
    ],
)
def test_what_the_text_settles_no_learned_guess_may_raise(text: str, settled: str | None) -> None:
    assert READER.read(text).settled == settled


@pytest.mark.parametrize(("text", "grade", "why"), CASES)
def test_grades(text: str, grade: Severity, why: str) -> None:
    reading = READER.read(text)
    assert reading.grade == grade, (why, reading)


def test_the_counts_come_from_the_policy() -> None:
    text = "十二个学生上吐下泻"
    assert READER.read(text).grade == I
    stricter = GradeReader(thresholds=GradeThresholds(mass_casualties=20))
    assert stricter.read(text).grade == II  # still people poisoned: II


def test_discounts_are_named() -> None:
    reading = READER.read("厨房着火了，已经扑灭了，没人受伤")
    assert reading.grade == IV
    assert "着火 (over: 扑灭)" in reading.discounted
    assert "受伤 (negated: 没人)" in reading.discounted


@pytest.mark.parametrize(
    ("token", "n"),
    [
        ("12", 12),
        ("十几", 11),
        ("三十", 30),
        ("二十", 20),
        ("好几", 3),
        ("几百", 300),
        ("两", 2),
        ("二三十", 20),
        ("四五十", 40),
        ("七八百", 700),
    ],
)
def test_parse_count(token: str, n: int) -> None:
    assert parse_count(token) == n


def test_everyone_safe_keeps_the_learned_guess_from_raising_to_ii() -> None:
    """A fire with nobody inside: the cues give III, and the text says everyone is safe."""
    reading = READER.read("出租屋四楼阳台在冒火，屋里没人，已经打了119")
    assert reading.grade is III
    assert reading.unharmed == "everyone safe: 屋里没人"
    assert READER.read("出租屋四楼阳台在冒火").unharmed is None
    found = READER.read("走失的老人今天早上在菜市场被找到，身体无碍")
    assert found.unharmed == "everyone safe: 身体无碍"
    wages = READER.read("老板三个月没发工资了，电话也不接")
    assert wages.unharmed == "a claim for wages: 没发工资"
    assert READER.read("老板欠薪，工人爬到楼顶说不给钱就跳下来").unharmed is None
    assert READER.read("喝醉了拿酒瓶砸车玻璃，没伤到人").unharmed == "no harm done: 没伤到人"
    assert READER.read("吃了拉肚子，现在好了，也没去医院").unharmed == "everyone safe: 现在好了"
    assert READER.read("手机被人抢了，人没伤着").unharmed == "no harm done: 没伤着"
    dizzy = READER.read("老人打电话说头晕，量了血压有点高，人清醒能走动，不愿意去医院")
    assert dizzy.unharmed == "on their feet: 能走动"
    pickpocket = READER.read("献血者排队时手机被人从背包里摸走了，监控应该拍到了")
    assert pickpocket.unharmed == "a theft without force: 摸走"
    up = READER.read("吃了生蚝拉得快拉死了，就他一个人，能走能说话")
    assert up.unharmed == "on their feet: 能走能"
    aid = READER.read("男的开货车出事故走了，没有收入，邻居们想帮她申请救助")
    assert aid.unharmed == "a request for help or papers: 申请救助"
    praise = READER.read("谢谢网格员上次帮我爸叫救护车，想送面锦旗，该送给谁？")
    assert praise.unharmed == "praise for what was done: 锦旗"
    assert (
        READER.read("广告牌倒了，把店门挡住了，人都没伤到").unharmed == "no harm done: 人都没伤到"
    )
    assert READER.read("孩子在门口玩，被人偷走了").unharmed is None
    assert READER.read("手机被偷了，小偷还拿刀威胁").unharmed is None
