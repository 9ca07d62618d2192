package quotes

import (
	"maps"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  string
		fixes map[string]int
	}{
		{"ascii unchanged", "Kazakhstan, Uzbekistan: allies?", "Kazakhstan, Uzbekistan: allies?", nil},
		{"clean chinese unchanged", "我们将遵守制裁。", "我们将遵守制裁。", nil},
		{"seed commas", "在刚刚经历过“一月政变”的哈萨克斯坦,从总统托卡耶夫到外交部长",
			"在刚刚经历过“一月政变”的哈萨克斯坦，从总统托卡耶夫到外交部长", map[string]int{FixCJKPunct: 1}},
		{"comma after closing quote", "“我们支持寻求和平解决这一局势”,为此",
			"“我们支持寻求和平解决这一局势”，为此", map[string]int{FixCJKPunct: 1}},
		{"seed parentheses inside quotes", "为此,“(俄罗斯)首先必须结束军事活动和侵略”。",
			"为此，“（俄罗斯）首先必须结束军事活动和侵略”。", map[string]int{FixCJKPunct: 3}},
		{"comma and space", "哈萨克斯坦, 从总统", "哈萨克斯坦，从总统", map[string]int{FixCJKPunct: 1, FixCJKSpace: 1}},
		{"question at end", "你好吗?", "你好吗？", map[string]int{FixCJKPunct: 1}},
		{"colon before quote", "他说:“好。”", "他说：“好。”", map[string]int{FixCJKPunct: 1}},
		{"semicolon and exclamation", "第一;第二!第三", "第一；第二！第三", map[string]int{FixCJKPunct: 2}},
		{"time stays ascii", "会议于3:00开始", "会议于3:00开始", nil},
		{"colon before url stays", "见:http://example.org", "见:http://example.org", nil},
		{"latin comma stays", "WordPress, Apache 和 PHP", "WordPress, Apache 和 PHP", nil},
		{"parens around chinese after latin", "WordPress (10年10月28日添加)", "WordPress （10年10月28日添加）", map[string]int{FixCJKPunct: 2}},
		{"parens around latin stay", "使用(Apache)服务器", "使用(Apache)服务器", nil},
		{"straight quotes", `经历过"一月政变"的`, "经历过“一月政变”的", map[string]int{FixCJKQuotes: 2}},
		{"straight quotes around latin stay", `他用"WordPress"写博客`, `他用"WordPress"写博客`, nil},
		{"line break between han", "帮助俄罗斯规避\n西方制裁", "帮助俄罗斯规避西方制裁", map[string]int{FixCJKSpace: 1}},
		{"stray spaces between han", "两国 还 宣布", "两国还宣布", map[string]int{FixCJKSpace: 2}},
		{"space after full stop", "制裁。 我们", "制裁。我们", map[string]int{FixCJKSpace: 1}},
		{"space between han and latin stays", "基于 WordPress 进行", "基于 WordPress 进行", nil},
		{"korean spaces stay", "우리는 제재를 준수할 것입니다.", "우리는 제재를 준수할 것입니다.", nil},
		{"japanese", "これは テスト です", "これはテストです", map[string]int{FixCJKSpace: 2}},
		{"zero width", "哈萨\u200b克斯坦\ufeff", "哈萨克斯坦", map[string]int{FixInvisible: 2}},
		{"soft hyphen", "Zusammen\u00adarbeit", "Zusammenarbeit", map[string]int{FixInvisible: 1}},
		{"zwnj kept in persian", "می\u200cخواهم", "می\u200cخواهم", nil},
		{"zwj kept in emoji", "👨\u200d👩", "👨\u200d👩", nil},
		{"zwj dropped in chinese", "制\u200d裁", "制裁", map[string]int{FixInvisible: 1}},
		{"fullwidth letters and digits", "ＷＴＯ成立于１９９５年", "WTO成立于1995年", map[string]int{FixFullwidth: 7}},
		{"nfc", "Cafe\u0301 und Bru\u0308cke", "Café und Brücke", map[string]int{FixNFC: 2}},
		{"nfc and invisible", "e\u0301\u200b", "é", map[string]int{FixNFC: 1, FixInvisible: 1}},
		{"nfc kana voicing mark", "か\u3099", "が", map[string]int{FixNFC: 1}},
		{"nfc compatibility ideograph", "\uf900", "\u8c48", map[string]int{FixNFC: 1}},
		{"cyrillic untouched", "«Мы писали рапорты от руки, и ждали»", "«Мы писали рапорты от руки, и ждали»", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, fixes := Normalize(tc.in)
			if got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if !maps.Equal(fixes, tc.fixes) {
				t.Errorf("Normalize(%q) fixes = %v, want %v", tc.in, fixes, tc.fixes)
			}
		})
	}
}

// TestNormalizeIdempotent checks that normalised text needs no more fixes.
func TestNormalizeIdempotent(t *testing.T) {
	for _, s := range []string{
		"“虽然我们和俄罗斯、白俄罗斯一样,是欧亚经济联盟成员,但我们也是国际社会的一员,我们不希望美国和欧盟对哈萨克斯坦实施二级制裁。”",
		"“我们支持寻求和平解决这一局势,并通过政治和外交手段解决这一冲突”。为此,“(俄罗斯)首先必须结束军事活动和侵略”。",
		`他说 : "好的 , 明天 见 !" (真的)`,
		"ＡＢＣ\u200b１２３ e\u0301",
	} {
		once, _ := Normalize(s)
		twice, fixes := Normalize(once)
		if twice != once || fixes != nil {
			t.Errorf("Normalize not idempotent on %q: %q then %q (%v)", s, once, twice, fixes)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"哈萨克斯坦,从总统", `"一月政变"`, "(俄罗斯)", "a\u200bb", "ＡＢ", "e\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		got, fixes := Normalize(s)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 out of %q", s)
		}
		if fixes == nil && got != s {
			t.Fatalf("changed %q to %q without counting", s, got)
		}
		for rule, n := range fixes {
			if n <= 0 {
				t.Fatalf("rule %s counted %d", rule, n)
			}
		}
	})
}
