package knowledge

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/web"
)

// categoriesPage is the manage page of the categories.
type categoriesPage struct {
	Categories []Category
	Editing    int64 // the category whose form was refused, 0: the new one
}

// Emails lists a category's reviewers' emails, one a line, for its form.
func (c Category) Emails() string {
	list := make([]string, len(c.Reviewers))
	for i, r := range c.Reviewers {
		list[i] = r.Email
	}
	return strings.Join(list, "\n")
}

func (h *Handler) categories(w http.ResponseWriter, r *http.Request) {
	if err := policy.Check(web.Actor(r), policy.ArticleCategoryManage, policy.Target{}); err != nil {
		web.Fail(w, r, err)
		return
	}
	list, err := h.svc.Categories(r.Context(), web.Actor(r))
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "knowledge/categories", "knowledge.categories.title", categoriesPage{Categories: list})
}

// saveCategory creates (id empty), changes, moves (move=up|down) or
// deletes (delete=1) a category.
func (h *Handler) saveCategory(w http.ResponseWriter, r *http.Request) {
	ctx, actor := r.Context(), web.Actor(r)
	var id int64
	if s := r.PostFormValue("id"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 {
			web.Fail(w, r, errs.New(errs.NotFound, "article.category_not_found"))
			return
		}
		id = n
	}
	if r.PostFormValue("delete") != "" {
		if err := h.svc.DeleteCategory(ctx, actor, id); err != nil {
			web.Fail(w, r, err)
			return
		}
		web.Redirect(w, r, "/pengetahuan/kategori", "knowledge.flash.category_deleted")
		return
	}
	if move := r.PostFormValue("move"); move != "" {
		delta := 1
		if move == "up" {
			delta = -1
		}
		if err := h.svc.MoveCategory(ctx, actor, id, delta); err != nil {
			web.Fail(w, r, err)
			return
		}
		web.Redirect(w, r, "/pengetahuan/kategori", "knowledge.flash.category_moved")
		return
	}
	in := CategoryInput{Name: r.PostFormValue("name"), Description: r.PostFormValue("description"),
		Reviewers: strings.FieldsFunc(r.PostFormValue("reviewers"), func(r rune) bool {
			return r == '\n' || r == '\r' || r == ',' || r == ' ' || r == ';'
		})}
	if _, err := h.svc.SaveCategory(ctx, actor, id, in); err != nil {
		list, lerr := h.svc.Categories(ctx, actor)
		if lerr != nil {
			web.Fail(w, r, lerr)
			return
		}
		web.RenderForm(w, r, "knowledge/categories", "knowledge.categories.title", categoriesPage{Categories: list, Editing: id}, err)
		return
	}
	web.Redirect(w, r, "/pengetahuan/kategori", "knowledge.flash.category_saved")
}

// categoryForm is what the partial "knowledge-category-form" shows: one
// category's form, re-filled with what was sent when it was refused.
type categoryForm struct {
	V                                 *web.View
	ID                                int64
	Key, Name, Description, Reviewers string
	active                            bool
}

// Err is the message of a field of this form, if it is the one refused.
func (f categoryForm) Err(field string) string {
	if !f.active {
		return ""
	}
	return f.V.Err(field)
}

// Form is the form of an existing category.
func (p categoriesPage) Form(v *web.View, c Category) categoryForm {
	f := categoryForm{V: v, ID: c.ID, Key: strconv.FormatInt(c.ID, 10), Name: c.Name, Description: c.Description,
		Reviewers: c.Emails(), active: v.Error != "" && p.Editing == c.ID}
	if f.active {
		f.Name, f.Description, f.Reviewers = v.Value("name"), v.Value("description"), v.Value("reviewers")
	}
	return f
}

// Blank is the form of a new category.
func (p categoriesPage) Blank(v *web.View) categoryForm {
	f := categoryForm{V: v, Key: "new", active: v.Error != "" && p.Editing == 0}
	if f.active {
		f.Name, f.Description, f.Reviewers = v.Value("name"), v.Value("description"), v.Value("reviewers")
	}
	return f
}
