package policy

// ChannelManage is looking through the outbox and the log of what came in
// by SMS, email and WhatsApp, and retrying a dead message. Both hold the
// phones and addresses of people across the city, so it is the
// superadmin's alone (the default of Can).
const ChannelManage Action = "channel.manage"
