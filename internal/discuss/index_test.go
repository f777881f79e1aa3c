package discuss

import (
	"slices"
	"testing"

	"github.com/lontara-id/lontara/internal/policy"
	"github.com/lontara-id/lontara/internal/search"
)

func TestAPostIsFoundByItsSpacesReadersAndRanksByHelp(t *testing.T) {
	app, accepted := int64(4), int64(21)
	sp := Space{ID: 7, Level: policy.SpaceApp, AppID: &app}
	th := Thread{ID: 3, Title: "Ekspor laporan SIKDA", AcceptedPostID: &accepted}
	answer := postDoc(sp, th, Post{ID: 21, Body: "Menu Laporan"}, 2)
	if answer.Kind != search.KindPost || answer.ID != 21 || answer.Ref != "3" || answer.Title != th.Title ||
		!slices.Equal(answer.Audience, []string{search.Space(7), search.Everyone}) || answer.AppID != 4 ||
		answer.Helpful != 2+AcceptedWeight {
		t.Errorf("the accepted answer's document: %+v", answer)
	}
	other := postDoc(Space{ID: 8, Level: policy.SpaceAgency}, th, Post{ID: 22, Body: "Tidak tahu"}, 0)
	if other.Helpful != 0 || other.AppID != 0 || !slices.Equal(other.Audience, []string{search.Space(8), search.CityWide}) {
		t.Errorf("another reply's document: %+v", other)
	}
	room := postDoc(Space{ID: 9, Level: policy.SpaceCity, MembersOnly: true}, th, Post{ID: 23, Body: "Rahasia"}, 0)
	if !slices.Equal(room.Audience, []string{search.Space(9)}) {
		t.Errorf("a members-only room's post: %+v", room)
	}
}
