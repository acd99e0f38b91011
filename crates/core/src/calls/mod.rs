//! Calls: signalling of voice and video calls over the WebSocket, the SFU for group and
//! business calls, STUN and TURN, the Cloud API's Calling API and call records. Uses accounts,
//! chats and business. The room is laid out; its capability lands with the calls issue.
