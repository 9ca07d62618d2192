package main

// Built-in vocabulary. Every sentence and name here was written for this generator;
// people, blogs and addresses are invented (example.com/.net/.org).

// englishSentences are the stock of prose paragraphs are built from.
var englishSentences = []string{
	"The train from Almaty left forty minutes late, which nobody on the platform seemed to mind.",
	"I had meant to write this post in spring, but the notes stayed in a drawer until the first snow.",
	"Most of the maps we had were older than the roads they were supposed to show.",
	"There is a particular silence in a library just before it closes, and I have come to like it.",
	"The recipe asks for two cups of flour, but my grandmother never measured anything in her life.",
	"Nobody warned us that the museum would be closed on Mondays, so we walked along the river instead.",
	"A reader asked last week why I keep returning to the same small town; this is my answer.",
	"The second chapter is slower than the first, and that is exactly why it works.",
	"Our guide spoke four languages and switched between them in the middle of a sentence.",
	"By the time the tea arrived, the argument about the old border had already been settled twice.",
	"The photographs do not show how cold it was, which is probably for the best.",
	"I tried three different translations of the opening line before giving up and writing my own.",
	"The market opens at six, and by eight the best apricots are gone.",
	"Every city has a street that the tourists never find, and every local claims to have found it first.",
	"The weather forecast was wrong again, but this time in our favour.",
	"It took me a long time to understand that the footnotes were the real book.",
	"On the way back we stopped at a roadside café whose menu had not changed since 1987.",
	"The receiver crackled for an hour before the station finally came through, faint but clear.",
	"If you only read one article on the subject this year, make it the one linked below.",
	"The author is careful with numbers and careless with names, which makes the index an adventure.",
	"We arrived after dark and saw the mountains for the first time the next morning.",
	"There are two kinds of travellers: those who plan everything and those who remember everything.",
	"The bus driver knew every passenger by name and every pothole by heart.",
	"I still have the ticket, folded into the back of the notebook I used that summer.",
	"The translation is accurate but flat; the original has a rhythm that English resists.",
	"Half the fun of an old dictionary is the words it no longer needs to explain.",
	"The conference itself was forgettable, but the conversations in the corridor were not.",
	"A small correction to last month's post: the bridge was built in 1962, not 1926.",
	"I spent an afternoon comparing three editions of the same newspaper and found three different headlines.",
	"The view from the pass is famous, and for once the fame is deserved.",
	"Somebody had left a bicycle chained to the gate, and it was still there a year later.",
	"The new edition fixes the typos but loses the charming old illustrations.",
	"Cooking at altitude is a lesson in patience: the water boils, but nothing seems to cook.",
	"The archive staff were patient with my questions and even more patient with my handwriting.",
	"That evening the whole street smelled of bread, smoke and rain.",
	"I am not sure the author intended the ending to be funny, but I laughed out loud.",
	"We counted seven languages on the signs at the border crossing, none of them English.",
	"The old radio still works, though it only agrees to find stations after it has warmed up.",
	"The official statement was short; the unofficial commentary ran to several pages.",
	"It rained for three days, so we read, cooked and argued about the best route home.",
	"There is no good English word for the feeling of arriving somewhere you have read about for years.",
	"The press release used the word \"historic\" four times in two paragraphs.",
	"Our host insisted that we try everything on the table, and the table was very large.",
	"The shop sold maps, stamps, postcards and, for reasons nobody could explain, fishing hooks.",
	"A good phrasebook teaches you how to apologise before it teaches you how to order dinner.",
	"The library's catalogue lists the book, but the shelf where it should be is empty.",
	"I have updated the list of sources at the end of this post.",
	"The journey took eleven hours, four of which were spent waiting for a single train.",
	"Her letters are full of small details: prices, weather, the names of dogs.",
	"The headline promised a revolution; the article described a modest change to the tax code.",
	"In the end we took the long way round, and it was the best decision of the trip.",
	"The interview was recorded in a noisy café, so some words are my best guess.",
	"It is worth reading the comments under the original article, which are more candid than the article itself.",
	"The museum has a single room devoted to telephones, and it is the most popular room in the building.",
	"I asked the same question in three shops and received three confident and contradictory answers.",
	"Spring comes late in the valley, and all at once.",
	"The statistics are incomplete, but the trend is hard to miss.",
	"A local historian pointed out that the monument had been moved twice since it was built.",
	"The first draft of this post was twice as long and half as clear.",
	"We were told the road was closed, and then, an hour later, that it had never been closed at all.",
	"The old town is small enough to cross on foot in twenty minutes, if you do not stop to look at anything.",
	"Three readers sent me the same photograph, each taken from a slightly different angle.",
	"The minister's speech was translated live, and the interpreter was visibly tired by the end.",
	"Even the footnotes have footnotes in this edition.",
	"The cheapest room in the hotel had the best view, which says something about the architect.",
	"Nobody at the table could agree on how the song ended, so we sang it three different ways.",
	"I have kept the original spelling of place names where the source uses it.",
	"The ferry runs twice a day in summer and not at all in winter.",
	"Reading the two accounts side by side makes the gaps in each one obvious.",
	"The bookshop closed last year, but the sign is still there.",
	"It is easy to forget how recent most of these borders are.",
	"The second half of the film takes place almost entirely in one kitchen.",
	"He answered every letter, even the ones that did not ask anything.",
	"The harvest was late this year, and the prices at the market show it.",
	"I will come back to this topic when the full report is published.",
	"A word of thanks to everyone who sent corrections to the previous post.",
	"The source code for the little script I mentioned is below, with all its flaws.",
	"We followed the river until the path disappeared into a field of sunflowers.",
	"The programme notes were more interesting than the programme.",
	"This is the third post in a series; the first two are linked at the end.",
}

// sentenceSubjects, sentenceVerbs and sentenceTails build extra English sentences so that
// large outputs do not repeat the stock sentences too visibly.
var sentenceSubjects = []string{
	"The old station master", "A neighbour from the third floor", "The regional newspaper",
	"Our driver", "The museum's director", "A student from the conservatory", "The night train",
	"The ministry's spokesman", "My grandfather", "The smallest bookshop in town", "A tired interpreter",
	"The village council", "An anonymous reader", "The harbour office", "The evening broadcast",
	"The weekly market", "A retired engineer", "The hotel receptionist", "The archive", "The local football club",
}

var sentenceVerbs = []string{
	"remembered", "described", "complained about", "never mentioned", "wrote a long letter about",
	"kept a careful record of", "laughed at", "published a short note on", "argued about",
	"still talks about", "quietly corrected", "spent a whole winter on", "took photographs of",
	"refused to comment on", "made a small fortune from",
}

var sentenceTails = []string{
	"the flood of 1998", "the new timetable", "the price of bread", "the closing of the old factory",
	"the first snow of the year", "a forgotten radio station", "the bridge across the river",
	"the summer festival", "a box of letters found in the attic", "the road over the mountains",
	"the name of the main square", "a disputed border", "the last tram", "the school's anniversary",
	"the harvest", "a very old map", "the election results", "the town's only cinema",
	"the visiting delegation", "the broken clock on the tower",
}

// foreignQuote is a sentence quoted in its original language with our English translation.
type foreignQuote struct {
	lang  string // "zh" or "ru"
	orig  string
	trans string
}

// chineseQuotes and russianQuotes are the material for the "one post in five" that quotes
// foreign press with a translation.
var chineseQuotes = []foreignQuote{
	{"zh", "今年春天，这座城市的游客数量比去年增加了一倍，但当地居民的收入并没有明显提高。", "This spring the number of visitors to the city doubled compared with last year, but local residents' incomes did not rise noticeably."},
	{"zh", "专家认为，新的铁路线将缩短两国之间的运输时间，但建设成本仍然是一个问题。", "Experts believe that the new railway line will shorten transport times between the two countries, but the cost of construction remains a problem."},
	{"zh", "这家老书店已经营业了六十多年，店主说他不打算关门。", "The old bookshop has been open for more than sixty years, and its owner says he has no plans to close."},
	{"zh", "当地政府表示，将在明年之前完成老城区的改造工程。", "The local government said it would finish the renovation of the old town before next year."},
	{"zh", "许多年轻人离开农村，到大城市寻找工作机会。", "Many young people leave the countryside to look for work in the big cities."},
	{"zh", "这次会议没有达成任何具体协议，但双方都表示愿意继续对话。", "The meeting reached no concrete agreement, but both sides said they were willing to continue the dialogue."},
	{"zh", "他在采访中说，语言是理解另一种文化的第一把钥匙。", "He said in the interview that language is the first key to understanding another culture."},
	{"zh", "冬天的时候，这条公路经常因为大雪而关闭。", "In winter this road is often closed because of heavy snow."},
	{"zh", "报道指出，今年的粮食产量预计将略低于去年。", "The report points out that this year's grain harvest is expected to be slightly lower than last year's."},
	{"zh", "博物馆新开放的展厅展出了一百多件从未公开过的文物。", "The museum's newly opened hall shows more than a hundred artefacts that have never been exhibited before."},
	{"zh", "分析人士认为，这一政策的长期影响目前还很难判断。", "Analysts believe that the long-term effects of this policy are still hard to judge."},
	{"zh", "这位作家的新小说讲述了一个家庭三代人的故事。", "The writer's new novel tells the story of three generations of one family."},
	{"zh", "据统计，去年共有超过两百万人次通过这个口岸。", "According to the statistics, more than two million crossings were made through this checkpoint last year."},
	{"zh", "老人们仍然记得那个年代收音机里传来的声音。", "The old people still remember the voices that came out of the radio in those years."},
	{"zh", "双方同意在教育和文化领域加强合作。", "Both sides agreed to strengthen cooperation in education and culture."},
	{"zh", "这座桥建成以后，两岸居民来往方便多了。", "Since the bridge was built, it has become much easier for people on both banks to visit each other."},
	{"zh", "文章认为，中亚国家在大国之间保持平衡的做法越来越谨慎。", "The article argues that the Central Asian countries are balancing between the great powers ever more cautiously."},
	{"zh", "茶馆里的客人大多是附近的老邻居，他们每天下午都来下棋。", "Most of the guests in the teahouse are old neighbours from nearby who come every afternoon to play chess."},
	{"zh", "专栏作者写道，翻译不仅是语言的转换，也是文化的对话。", "The columnist writes that translation is not only a change of language but also a dialogue between cultures."},
	{"zh", "今年夏天的音乐节吸引了来自十几个国家的乐队。", "This summer's music festival attracted bands from more than ten countries."},
}

var russianQuotes = []foreignQuote{
	{"ru", "По словам местных жителей, последний поезд по этой линии прошёл более десяти лет назад.", "According to local residents, the last train on this line ran more than ten years ago."},
	{"ru", "Эксперты считают, что цены на продукты будут расти и в следующем году.", "Experts believe that food prices will keep rising next year as well."},
	{"ru", "Библиотека получила в дар несколько тысяч книг из частной коллекции.", "The library received several thousand books from a private collection as a gift."},
	{"ru", "В интервью газете автор признался, что писал роман почти двадцать лет.", "In an interview with the newspaper the author admitted that he had been writing the novel for almost twenty years."},
	{"ru", "Переговоры продолжались всю ночь, но стороны так и не договорились.", "The talks went on all night, but the sides still did not reach an agreement."},
	{"ru", "Жители города помнят, как в восьмидесятые годы здесь работал кинотеатр.", "The town's residents remember that a cinema operated here in the eighties."},
	{"ru", "Министерство сообщило, что ремонт моста будет завершён к осени.", "The ministry announced that repairs to the bridge will be finished by autumn."},
	{"ru", "Многие молодые специалисты уезжают работать за границу.", "Many young professionals leave to work abroad."},
	{"ru", "Зима в этом году выдалась необычайно снежной.", "This year's winter turned out to be unusually snowy."},
	{"ru", "Музей открыл новую выставку, посвящённую истории радио.", "The museum opened a new exhibition devoted to the history of radio."},
	{"ru", "Аналитики отмечают, что торговля между странами региона заметно выросла.", "Analysts note that trade between the countries of the region has grown noticeably."},
	{"ru", "Старый рынок в центре города планируют закрыть на реконструкцию.", "There are plans to close the old market in the city centre for reconstruction."},
	{"ru", "Учителя жалуются, что в школах не хватает учебников на родном языке.", "Teachers complain that schools lack textbooks in the native language."},
	{"ru", "Фестиваль собрал рекордное число зрителей за всю свою историю.", "The festival drew the largest audience in its entire history."},
	{"ru", "Официальный представитель отказался комментировать эти сообщения.", "The official spokesman declined to comment on these reports."},
	{"ru", "Дорога через перевал открыта только летом, и то не каждый год.", "The road over the pass is open only in summer, and not every year at that."},
	{"ru", "Газета пишет, что новый закон вызвал споры даже внутри правящей партии.", "The newspaper writes that the new law has caused disputes even within the ruling party."},
	{"ru", "Радиолюбители со всего мира отправляли на станцию свои отчёты о приёме.", "Radio amateurs from all over the world sent their reception reports to the station."},
	{"ru", "Урожай яблок в этом году оказался вдвое больше прошлогоднего.", "This year's apple harvest turned out to be twice as large as last year's."},
	{"ru", "По мнению автора статьи, регион стоит перед трудным выбором.", "In the article author's view, the region faces a difficult choice."},
}

// quoteSources introduce a foreign quote in the English text.
var quoteSources = map[string][]string{
	"zh": {"Pengpai News", "a Shanghai evening paper", "a Chinese business weekly", "a commentary on a Beijing news portal", "a provincial party daily", "a Chinese travel magazine"},
	"ru": {"a Russian regional newspaper", "a Moscow business daily", "a Russian news agency", "a column in a Saint Petersburg weekly", "a Russian radio hobby magazine", "an opinion piece on a Russian news site"},
}

// titleWords build English post titles; the combination space is bounded, which keeps the
// slug-collision table bounded too.
var titleOpeners = []string{
	"Notes on", "A week in", "Letters from", "Reading", "Winter in", "Back to", "Remembering",
	"What the papers say about", "Small stories from", "Maps of", "Listening to", "The road to",
	"Three days in", "A short history of", "Why I keep returning to", "Translating", "Recipes from",
	"Old photographs of", "Morning in", "The markets of",
}

var titleTopics = []string{
	"Almaty", "Tashkent", "Samarkand", "the Fergana Valley", "Bishkek", "Lake Issyk-Kul", "Kashgar",
	"the Altai", "Novosibirsk", "Ulaanbaatar", "Xi'an", "Lanzhou", "the Caspian coast", "Odesa",
	"Tbilisi", "the steppe", "the old Silk Road", "shortwave radio", "second-hand bookshops",
	"Soviet-era railway stations", "provincial newspapers", "the Pamir Highway", "Bukhara",
	"Kazan", "the Volga", "Irkutsk", "Harbin", "Dunhuang", "border towns", "tea houses",
}

var titleTails = []string{
	"", "", "", ": a translation", ", again", " (part 2)", ": what changed", " in ten photographs",
	": a reader's question", ", revisited", ": notes and links", " before the snow",
}

// chineseTitles and russianTitles give the occasional non-English title, whose slug
// becomes percent-encoded UTF-8.
var chineseTitles = []string{
	"静夜思", "读书笔记", "上合组织", "丝绸之路", "旅行日记", "翻译札记", "老照片", "冬天的喀什",
	"短波电台", "中亚见闻", "茶馆", "边城", "一带一路", "阿拉木图印象", "撒马尔罕",
}

var russianTitles = []string{
	"Заметки о переводе", "Старые открытки", "Ташкент зимой", "Дорога на Памир", "Письма из Казани",
	"Короткие волны", "Книжные развалы", "Степь", "Рынок в Бишкеке", "Поезд на Алматы",
}

// inlinePhrases are short foreign phrases dropped into English sentences.
var inlinePhrases = []struct{ phrase, gloss string }{
	{"温故知新", "review the old to understand the new"},
	{"一路平安", "a safe journey"},
	{"入乡随俗", "when in Rome, do as the Romans do"},
	{"百闻不如一见", "seeing once is better than hearing a hundred times"},
	{"Тише едешь — дальше будешь", "the slower you go, the further you get"},
	{"Не было бы счастья, да несчастье помогло", "every cloud has a silver lining"},
	{"Утро вечера мудренее", "the morning is wiser than the evening"},
	{"Без труда не выловишь и рыбку из пруда", "no pain, no gain"},
}

// commentSentences are used for ordinary comments.
var commentSentences = []string{
	"Thank you for translating this, I could never have read the original.",
	"Great post, as always.",
	"I was there in 2015 and it looked exactly the same.",
	"Small correction: the museum is open on Sundays now.",
	"Do you have a link to the original article?",
	"This brought back memories of my own trip.",
	"I disagree with the second paragraph, but I enjoyed reading it.",
	"The photographs are wonderful.",
	"My grandmother made the same dish, but with more garlic.",
	"Is the book available in English?",
	"Thanks, I will share this with my students.",
	"The translation of the last sentence seems a bit too free to me.",
	"I heard the same station in the eighties, on a Grundig receiver.",
	"Interesting how differently the two papers reported the same meeting.",
	"Could you write more about the road over the pass?",
	"I have been following this blog for years, and this is one of the best posts.",
	"The link in the third paragraph seems to be broken.",
	"Fascinating. I had no idea about the history of the bridge.",
	"We must have been on the same train!",
	"I would love to read the rest of the interview.",
	"Thank you, fixed.",
	"Good question, I will look into it.",
	"Here is the link: it is the second article on the page.",
	"Agreed, the original is much more ambiguous.",
}

var commentForeign = []string{
	"谢谢你的翻译！",
	"写得很好，期待下一篇。",
	"我去年也去过那里，风景很美。",
	"Спасибо за перевод!",
	"Очень интересно, жду продолжения.",
	"Я тоже слушал эту станцию в детстве.",
}

// firstNames and lastNames make commenters; a few names are written in Chinese or Cyrillic.
var firstNames = []string{
	"Anna", "Bolat", "Chen", "Daria", "Erik", "Farida", "Gulnara", "Hannes", "Ivan", "Jun",
	"Kamila", "Lars", "Mei", "Nurlan", "Olga", "Pavel", "Qiang", "Rustam", "Sofia", "Timur",
	"Ulrike", "Viktor", "Wen", "Xenia", "Yuki", "Zarina", "Aigul", "Bekzod", "Claire", "Dilnoza",
}

var lastNames = []string{
	"Abenova", "Berg", "Chen", "Dzhumabaev", "Eriksson", "Fischer", "Gao", "Hoffmann", "Ismailova",
	"Jansen", "Karimov", "Lindgren", "Morozova", "Nazarov", "Ortega", "Petrov", "Qian", "Rahimova",
	"Sokolov", "Tursunov", "Umarova", "Volkova", "Wang", "Xu", "Yusupov", "Zhang", "Lin", "Kuznetsov",
}

var nativeNames = []string{
	"林梅", "王小军", "张伟", "陈静", "刘洋", "Анна Смирнова", "Дмитрий Орлов", "Ольга Белова",
	"Сергей Волков", "Айгуль Сейткали",
}

// siteNames are candidate blogs; one is chosen per seed.
var siteNames = []struct{ title, host, tagline string }{
	{"Steppe &#038; Silk", "steppe-silk", "Travel notes and translations from Central Asia"},
	{"The Slow Train", "slowtrain", "Railways, timetables &#038; long journeys"},
	{"Paper Lanterns", "paperlanterns", "Reading Chinese newspapers so you do not have to"},
	{"Short Waves", "shortwaves", "Radio memories, QSL cards and old receivers"},
	{"Borderlands Reader", "borderlands", "Books, maps and border towns"},
	{"Tea in Tashkent", "teaintashkent", "Recipes, markets and stories"},
}

// authorNames are blog authors: login, display name, first, last.
var authorNames = [][4]string{
	{"mei", "林梅 (Mei Lin)", "Mei", "Lin"},
	{"sasha", "Саша Петрова", "Саша", "Петрова"},
	{"jonas", "Jonas Berg", "Jonas", "Berg"},
	{"dilnoza", "Dilnoza Rahimova", "Dilnoza", "Rahimova"},
	{"editor", "The Editor", "", ""},
}

// categoryDefs and tagDefs are the site's terms; parents come before children.
var categoryDefs = []struct{ name, parent string }{
	{"Uncategorized", ""},
	{"Travel", ""},
	{"Central Asia", "Travel"},
	{"China trips", "Travel"},
	{"Russia", "Travel"},
	{"Books", ""},
	{"读书", "Books"},
	{"Translation", ""},
	{"Radio", ""},
	{"QSL cards", "Radio"},
	{"Food &amp; drink", ""},
	{"Press review", ""},
	{"Переводы", "Translation"},
}

var tagDefs = []string{
	"photography", "history", "railways", "maps", "newspapers", "poetry", "recipes", "markets",
	"museums", "winter", "mountains", "rivers", "border", "language", "interviews", "archives",
	"shortwave", "QSL", "Kazakhstan", "Uzbekistan", "Kyrgyzstan", "China", "Russia", "Mongolia",
	"SCO", "sanctions", "Q&amp;A", "唐诗", "上海合作组织", "中亚", "翻译", "Москва", "перевод",
	"Silk Road", "tea", "bookshops", "film", "music", "festivals", "letters",
}

// pingSources are other blogs that send trackbacks and pingbacks.
var pingSources = []struct{ name, host string }{
	{"Kettles &amp; Caravans", "caravans.example.net"},
	{"Lanterns &amp; Lanes", "lanterns.example.net"},
	{"Sasha&#8217;s notebook", "notebook.example.org"},
	{"The Weekly Steppe", "weeklysteppe.example.com"},
	{"DX Listening Log", "dxlog.example.org"},
	{"Bookish in Bishkek", "bookish.example.net"},
	{"Rail &amp; Road", "railroad.example.com"},
	{"Northern Notes", "northernnotes.example.org"},
}

// spamLines are comments that end up in the trash.
var spamLines = []string{
	"Great article!! Visit my site for cheap flights.",
	"Nice post. Best essay writing service, click here.",
	"I like your blog, please check out my casino reviews.",
	"Wow amazing, buy followers now at our shop.",
}
