package discuss

import (
	"slices"
	"testing"

	"github.com/lontara-id/lontara/internal/search"
)

func TestAPostIsFoundByItsSpacesReadersAndRanksByHelp(t *testing.T) {
	app, accepted := int64(4), int64(21)
	sp := Space{ID: 7, AppID: &app}
	th := Thread{ID: 3, Title: "Ekspor laporan SIKDA", AcceptedPostID: &accepted}
	answer := postDoc(sp, th, Post{ID: 21, Body: "Menu Laporan"}, 2)
	if answer.Kind != search.KindPost || answer.ID != 21 || answer.Ref != "3" || answer.Title != th.Title ||
		!slices.Equal(answer.Audience, []string{search.Space(7)}) || answer.AppID != 4 || answer.Helpful != 2+AcceptedWeight {
		t.Errorf("the accepted answer's document: %+v", answer)
	}
	other := postDoc(Space{ID: 8}, th, Post{ID: 22, Body: "Tidak tahu"}, 0)
	if other.Helpful != 0 || other.AppID != 0 || !slices.Equal(other.Audience, []string{search.Space(8)}) {
		t.Errorf("another reply's document: %+v", other)
	}
}
