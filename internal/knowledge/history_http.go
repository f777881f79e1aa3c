package knowledge

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/lontara-id/lontara/internal/errs"
	"github.com/lontara-id/lontara/internal/upload"
	"github.com/lontara-id/lontara/internal/web"
)

// historyPage lists an article's revisions to choose two to compare.
type historyPage struct {
	Article   Article
	Revisions []Revision
}

func (h *Handler) history(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	a, revs, err := h.svc.Revisions(r.Context(), web.Actor(r), id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Render(w, r, http.StatusOK, "knowledge/history", "knowledge.history.title", historyPage{Article: a, Revisions: revs})
}

// diffPage compares two revisions.
type diffPage struct {
	Article        Article
	From, To       Revision
	Title, Body    template.HTML
	Added, Removed int
}

// diff compares revisions ?dari= and ?ke= (ids); without them, the
// current version with the one before it.
func (h *Handler) diff(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	ctx, actor := r.Context(), web.Actor(r)
	a, revs, err := h.svc.Revisions(ctx, actor, id)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	pick := func(name string, fallback int) (Revision, error) {
		s := r.URL.Query().Get(name)
		if s == "" {
			if fallback < len(revs) {
				return revs[fallback], nil
			}
			return revs[len(revs)-1], nil
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return Revision{}, errs.FieldErr(name, "article.revision_not_found")
		}
		for _, rev := range revs {
			if rev.ID == n {
				return rev, nil
			}
		}
		return Revision{}, errs.New(errs.NotFound, "article.revision_not_found")
	}
	d := diffPage{Article: a}
	if d.From, err = pick("dari", 1); err == nil {
		d.To, err = pick("ke", 0)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	d.Title, _, _ = Diff(d.From.Title, d.To.Title)
	d.Body, d.Added, d.Removed = Diff(d.From.Body, d.To.Body)
	web.Render(w, r, http.StatusOK, "knowledge/diff", "knowledge.diff.title", d)
}

func (h *Handler) addFiles(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	files, err := upload.FormFiles(r, "file")
	if err == nil {
		_, err = h.svc.AddFiles(r.Context(), web.Actor(r), id, files)
	}
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, articleURL(id)+"#files", "knowledge.flash.files_added")
}

func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	fileID, err := web.PathID(r, "file")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	f, data, err := h.svc.FileContent(r.Context(), web.Actor(r), id, fileID)
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	upload.Serve(w, r, f.Name, f.ContentType, f.SHA256, f.CreatedAt, data)
}

func (h *Handler) deleteFile(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r, "id")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	fileID, err := web.PathID(r, "file")
	if err != nil {
		web.Fail(w, r, err)
		return
	}
	if err := h.svc.DeleteFile(r.Context(), web.Actor(r), id, fileID); err != nil {
		web.Fail(w, r, err)
		return
	}
	web.Redirect(w, r, articleURL(id)+"#files", "knowledge.flash.file_deleted")
}
