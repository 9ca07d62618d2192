package quotes

import "testing"

func TestGroupOf(t *testing.T) {
	tests := []struct {
		r    rune
		want group
	}{
		{'a', gLatin}, {'Z', gLatin}, {'é', gLatin}, {'ł', gLatin}, {'ş', gLatin}, {'ệ', gLatin},
		{'1', gNone}, {',', gNone}, {'“', gNone}, {'，', gNone}, {'。', gNone}, {' ', gNone},
		{'中', gCJK}, {'ひ', gCJK}, {'カ', gCJK}, {'ー', gCJK}, {'々', gCJK}, {'㐷', gCJK}, {'𠀀', gCJK},
		{'한', gHangul}, {'ㄱ', gHangul},
		{'Ж', gCyrillic}, {'ї', gCyrillic}, {'ә', gCyrillic},
		{'ع', gArabic}, {'پ', gArabic}, {'ے', gArabic}, {'٣', gNone}, {'،', gNone},
		{'ש', gHebrew}, {'λ', gGreek}, {'ก', gThai}, {'क', gDevanagari}, {'ক', gBengali},
		{'த', gTamil}, {'ა', gGeorgian}, {'Ա', gArmenian}, {'አ', gEthiopic},
	}
	for _, tc := range tests {
		if got := groupOf(tc.r); got != tc.want {
			t.Errorf("groupOf(%q) = %d, want %d", tc.r, got, tc.want)
		}
	}
}

// TestGroupTable: groupOf reads the same group as groupOfRune computes,
// for every rune and beyond.
func TestGroupTable(t *testing.T) {
	for r := rune(-1); r <= 0x110000; r++ {
		if a, b := groupOf(r), groupOfRune(r); a != b {
			t.Fatalf("groupOf(%U) = %d, groupOfRune gives %d", r, a, b)
		}
	}
}

// langOf runs the script-level decision on one text, with no context.
func langOf(s string) string {
	var e evidence
	e.scan(s)
	a := &analysis{}
	return a.foreignLang(e.dominant(), &e, s)
}

func TestScriptLanguages(t *testing.T) {
	tests := []struct{ in, want string }{
		{"哈官方承诺不会成为帮助俄罗斯规避西方制裁的工具", "zh-Hans"},
		{"哈官方承諾不會成為幫助俄羅斯規避西方制裁的工具", "zh-Hant"},
		{"台灣的民主發展經歷了漫長的過程", "zh-Hant"},
		{"ロシアは中央アジアとの貿易が拡大すると述べた", "ja"},
		{"東京駅から図書館まで", "ja"},
		{"図書館駅前広場", "ja"}, // kanji only, shinjitai
		{"우즈베키스탄 외무장관은 평화적 해결을 촉구했다", "ko"},
		{"Мы писали рапорты от руки и ждали ответа два-три месяца", "ru"},
		{"Ми писали звіти від руки і чекали відповіді два-три місяці", "uk"},
		{"Мы пісалі справаздачы ад рукі і чакалі адказу два-тры месяцы", "be"},
		{"Ние писахме докладите на ръка и чакахме отговор два-три месеца, което беше дълго", "bg"},
		{"Писали смо извештаје руком и чекали одговор два-три месеца, што је дуго трајало", "sr"},
		{"Біз есептерді қолмен жазып, жауапты екі-үш ай күттік", "kk"},
		{"Ние пишувавме извештаи со рака и чекавме одговор два-три месеци, но одговорот секогаш ќе дојдеше.", "mk"},
		{"كتبنا تقاريرنا بخط اليد وانتظرنا الرد شهرين أو ثلاثة", "ar"},
		{"ما گزارش‌ها را با دست می‌نوشتیم و دو سه ماه منتظر پاسخ می‌ماندیم", "fa"},
		{"ہم اپنی رپورٹیں ہاتھ سے لکھتے تھے اور جواب کا دو تین مہینے انتظار کرتے تھے", "ur"},
		{"כתבנו את הדוחות ביד וחיכינו חודשיים או שלושה לתשובה", "he"},
		{"Γράφαμε τις αναφορές με το χέρι και περιμέναμε δύο ή τρεις μήνες", "el"},
		{"เราเขียนรายงานด้วยมือและรอคำตอบสองสามเดือน", "th"},
		{"हम अपनी रिपोर्ट हाथ से लिखते थे और दो-तीन महीने जवाब का इंतज़ार करते थे", "hi"},
	}
	for _, tc := range tests {
		if got := langOf(tc.in); got != tc.want {
			t.Errorf("language of %q = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestLatinLang(t *testing.T) {
	tests := []struct{ in, want string }{
		{"We wrote our reports by hand and waited two or three months for an answer.", "en"},
		{"Wir schrieben unsere Berichte von Hand und warteten zwei oder drei Monate auf eine Antwort.", "de"},
		{"Nous écrivions nos rapports à la main et attendions une réponse pendant deux ou trois mois.", "fr"},
		{"Escribíamos nuestros informes a mano y esperábamos dos o tres meses una respuesta.", "es"},
		{"Escrevíamos os nossos relatórios à mão e esperávamos dois ou três meses por uma resposta.", "pt"},
		{"Pisaliśmy nasze raporty ręcznie i czekaliśmy dwa lub trzy miesiące na odpowiedź.", "pl"},
		{"Raporlarımızı elle yazar ve bir cevap için iki üç ay beklerdik.", "tr"},
		{"Chúng tôi viết báo cáo bằng tay và chờ câu trả lời hai ba tháng.", "vi"},
	}
	for _, tc := range tests {
		if got, _ := latinLang(tc.in, ""); got != tc.want {
			t.Errorf("latinLang(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestParseHint(t *testing.T) {
	tests := []struct{ in, want string }{
		{"en-US", "en"}, {"en", "en"}, {"zh-CN", "zh-Hans"}, {"zh-TW", "zh-Hant"}, {"zh-HK", "zh-Hant"},
		{"zh", "zh-Hans"}, {"ru-RU", "ru"}, {"pt-BR", "pt"}, {"", ""}, {"not a tag!", ""}, {" de-DE ", "de"},
	}
	for _, tc := range tests {
		if got := parseHint(tc.in); got != tc.want {
			t.Errorf("parseHint(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestStopScore(t *testing.T) {
	words, hits := stopScore("The bulk of Central Asian countries were Russia's allies, and the trade is growing.", "en")
	if words != 15 {
		t.Errorf("words = %d, want 15", words)
	}
	if hits[0] < 4 {
		t.Errorf("English function words = %d, want at least 4 (the, of, were, and, the, is)", hits[0])
	}
	if !looksLike("In another bid to prove his president's claim to the global public that you can't isolate Russia", "en") {
		t.Error("an English sentence does not look English")
	}
	if !looksLike("Keep a log: date, time in UTC, frequency, station, language, and a short note on the content.", "en") {
		t.Error("an English list item does not look English")
	}
	if looksLike("Wir schrieben unsere Berichte von Hand und warteten zwei oder drei Monate auf eine Antwort.", "en") {
		t.Error("a German sentence looks English")
	}
}

// TestPlainEnglishArticle: "a", a function word of Portuguese, Italian
// and Polish, does not make an English paragraph look like one of them
// (the block test data's "A paragraph inside a group." was taken for a
// French quote, and such paragraphs loaded lingua-go's models for
// nothing); Portuguese and Italian with their other function words still
// do not pass for English.
func TestPlainEnglishArticle(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"A paragraph inside a group. Wide, default justification.", true},
		{"It was a cold night, a long drive and a quiet border post.", true},
		{"A casa fica a norte da cidade e a rua tem muitas lojas.", false},
		{"La casa di Marco e il giardino sono a Roma.", false},
	} {
		if got := plainEnglish(tc.in); got != tc.want {
			t.Errorf("plainEnglish(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	if got, ok := latinLang("A paragraph inside a group. Wide, default justification.", "en"); got != "en" || !ok {
		t.Errorf("latinLang of an English paragraph in an English post = %s %v, want en true", got, ok)
	}
}

// TestModelsLoading: ModelsLoading is called once, before a detector
// first asks lingua-go, and ModelsLoaded reports it from then on.
func TestModelsLoading(t *testing.T) {
	calls := 0
	defer func(f func()) { ModelsLoading = f }(ModelsLoading)
	ModelsLoading = func() { calls++ }
	d := &linguaDetector{}
	for range 2 {
		if lang, _ := d.compute("Le gouvernement a annoncé hier de nouvelles mesures pour les agriculteurs de la région."); lang != "fr" {
			t.Fatalf("detected %q, want fr", lang)
		}
	}
	if calls != 1 {
		t.Errorf("ModelsLoading called %d times, want 1", calls)
	}
	if !ModelsLoaded() {
		t.Error("ModelsLoaded() = false after a detection")
	}
}
