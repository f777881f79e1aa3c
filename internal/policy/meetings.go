package policy

// canManageMeeting says who changes a meeting, cancels it and writes its
// notes: its organizer while they may still read its space, and whoever
// moderates the space (its moderators and admins). Scheduling one needs no
// more than reading the space, as starting a thread does.
func canManageMeeting(a *Actor, t Target) bool {
	return (t.Organizer && canReadSpace(a, t)) || Can(a, SpaceModerate, t)
}
