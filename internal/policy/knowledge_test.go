package policy

import "testing"

func TestCanKnowledge(t *testing.T) {
	for _, c := range []struct {
		name string
		a    *Actor
		act  Action
		want bool
	}{
		{"no actor writes no article", nil, ArticleWrite, false},
		{"an agent writes articles", agent, ArticleWrite, true},
		{"an expert writes articles", expert, ArticleWrite, true},
		{"the superadmin writes articles", superadmin, ArticleWrite, true},
		{"an employee does not read drafts", nobody, ArticleWrite, false},
		{"an agency admin does not read drafts", admin, ArticleWrite, false},
		{"the executive does not read drafts", executive, ArticleWrite, false},
	} {
		if got := Can(c.a, c.act, Target{}); got != c.want {
			t.Errorf("%s: Can = %v, want %v", c.name, got, c.want)
		}
	}
}
