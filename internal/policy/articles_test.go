package policy

import "testing"

func TestCanArticles(t *testing.T) {
	none := Target{}
	reviewer := Target{Reviewer: true}
	published := Target{Published: true}
	reviewerPublished := Target{Reviewer: true, Published: true}
	author := Target{Author: true}
	authorPublished := Target{Author: true, Published: true}
	for _, c := range []struct {
		name string
		a    *Actor
		act  Action
		t    Target
		want bool
	}{
		{"an operator writes articles", operator, ArticleWrite, none, true},
		{"a trainer writes articles", trainer, ArticleWrite, none, true},
		{"an agent writes articles", agent, ArticleWrite, none, true},
		{"an expert writes articles", expert, ArticleWrite, none, true},
		{"an employee does not write articles", nobody, ArticleWrite, none, false},
		{"an agency head does not write articles", head, ArticleWrite, none, false},

		{"a writer edits a draft", operator, ArticleEdit, none, true},
		{"an employee edits no draft", nobody, ArticleEdit, none, false},
		{"a writer who does not review edits no published article", operator, ArticleEdit, published, false},
		{"a category's reviewer edits its published article", trainer, ArticleEdit, reviewerPublished, true},
		{"an expert edits any published article", expert, ArticleEdit, published, true},
		{"the superadmin edits any published article", superadmin, ArticleEdit, published, true},

		{"a category's reviewer publishes its articles", operator, ArticlePublish, reviewer, true},
		{"a writer who does not review the category does not publish", operator, ArticlePublish, none, false},
		{"an agent does not publish outside their categories", agent, ArticlePublish, none, false},
		{"an expert publishes in any category", expert, ArticlePublish, none, true},
		{"the superadmin publishes", superadmin, ArticlePublish, none, true},
		{"a reviewer who lost their writing role does not publish", nobody, ArticlePublish, reviewer, false},
		{"the executive does not publish", executive, ArticlePublish, reviewer, false},
		{"no actor publishes nothing", nil, ArticlePublish, reviewer, false},

		{"an author deletes their draft", trainer, ArticleDelete, author, true},
		{"an author does not delete their published article", trainer, ArticleDelete, authorPublished, false},
		{"a writer does not delete another's draft", trainer, ArticleDelete, none, false},
		{"a reviewer does not delete", operator, ArticleDelete, reviewerPublished, false},
		{"an expert deletes", expert, ArticleDelete, published, true},

		{"an expert manages categories", expert, ArticleCategoryManage, none, true},
		{"the superadmin manages categories", superadmin, ArticleCategoryManage, none, true},
		{"an agent does not manage categories", agent, ArticleCategoryManage, none, false},
		{"an agency admin does not manage categories", admin, ArticleCategoryManage, none, false},
	} {
		if got := Can(c.a, c.act, c.t); got != c.want {
			t.Errorf("%s: Can = %v, want %v", c.name, got, c.want)
		}
	}
}
