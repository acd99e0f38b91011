//! Status: people's and businesses' Status updates with their audiences, viewers and 24-hour
//! expiry; ads between updates and click-to-chat ads with their campaigns and referrals; and
//! sticker packs. Uses accounts, chats, business and billing. The room is laid out; its
//! capability lands with the Status and ads issue.
