"""The YouTube emulator's JSON, multipart and media endpoints (videos.list/update, thumbnails.set,
captions, playlists, playlistItems) and an OAuth token endpoint: a mixin of its request handler."""

from __future__ import annotations

import email.parser
import email.policy
import json
import secrets
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.scripts.youtube_emulator import YoutubeEmulator


class Calls:
    """The endpoints besides the resumable upload; ``_send`` and ``_error`` come from the handler."""

    emulator: YoutubeEmulator
    headers: Any
    query: dict[str, str]

    def _send(self, name: str, status: int, payload: dict[str, Any] | None = None,
              headers: dict[str, str] | None = None, body_bytes: int = 0) -> None:
        raise NotImplementedError

    def _error(self, name: str, status: int, reason: str, message: str, body: bytes = b"") -> None:
        raise NotImplementedError

    # OAuth: the token endpoint a client secrets file can name (token_uri).

    def _token_endpoint(self, form: dict[str, list[str]]) -> None:
        """Exchange an authorization code, or a refresh token, for an access token."""
        em = self.emulator
        grant = form.get("grant_type", [""])[0]
        em.token_requests.append(grant)
        if grant not in ("authorization_code", "refresh_token"):
            return self._send("oauth.token", 400, {"error": "unsupported_grant_type"})
        answer = {"access_token": f"user-access-{len(em.token_requests)}", "expires_in": 3599,
                  "token_type": "Bearer", "scope": "https://www.googleapis.com/auth/youtube.force-ssl"}
        if grant == "authorization_code":
            answer["refresh_token"] = "user-refresh-token"
        self._send("oauth.token", 200, answer)

    # JSON and multipart calls.

    def _videos_list(self, body: bytes) -> None:
        em = self.emulator
        items = []
        for video_id in (self.query.get("id") or "").split(","):
            if video_id in em.videos:
                polls = em._polls[video_id] = em._polls.get(video_id, 0) + 1
                state = "processing" if polls <= em.processing_polls else em.processing_result
                items.append({**em.videos[video_id], "processingDetails": {"processingStatus": state}})
        self._send("videos.list", 200, {"kind": "youtube#videoListResponse", "items": items})

    def _videos_update(self, body: bytes) -> None:
        update = json.loads(body)
        video = self.emulator.videos.get(update.get("id"))
        if video is None:
            return self._error("videos.update", 404, "videoNotFound", "video not found", body)
        for part in self.query["part"].split(","):
            video[part] = update.get(part, {})
        self._send("videos.update", 200, video, body_bytes=len(body))

    def _thumbnails_set(self, body: bytes) -> None:
        video_id = self.query.get("videoId", "")
        if video_id not in self.emulator.videos:
            return self._error("thumbnails.set", 404, "videoNotFound", "video not found", body)
        self.emulator.thumbnails[video_id] = (self.headers.get("Content-Type", ""), body)
        self._send("thumbnails.set", 200, {"kind": "youtube#thumbnailSetResponse", "items": [{}]},
                   body_bytes=len(body))

    def _multipart(self, body: bytes) -> tuple[dict[str, Any], bytes]:
        """The JSON part and the media part of a multipart/related body."""
        head = f"Content-Type: {self.headers['Content-Type']}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        parts = list(message.iter_parts())  # type: ignore[attr-defined]
        return json.loads(parts[0].get_payload(decode=True)), parts[1].get_payload(decode=True)

    def _captions_insert(self, body: bytes) -> None:
        resource, media = self._multipart(body)
        snippet = resource["snippet"]
        if snippet.get("videoId") not in self.emulator.videos:
            return self._error("captions.insert", 404, "videoNotFound", "video not found", body)
        caption_id = "cap-" + secrets.token_hex(6)
        self.emulator.captions[caption_id] = {"id": caption_id, "snippet": {**snippet, "trackKind": "standard"},
                                              "data": media}
        self._send("captions.insert", 200, self._caption(caption_id), body_bytes=len(body))

    def _captions_update(self, body: bytes) -> None:
        resource, media = self._multipart(body)
        track = self.emulator.captions.get(resource.get("id"))
        if track is None:
            return self._error("captions.update", 404, "captionNotFound", "caption track not found", body)
        track["data"] = media
        track["snippet"].update(resource.get("snippet", {}))
        self._send("captions.update", 200, self._caption(track["id"]), body_bytes=len(body))

    def _captions_list(self, body: bytes) -> None:
        video_id = self.query.get("videoId")
        items = [self._caption(key) for key, track in self.emulator.captions.items()
                 if track["snippet"]["videoId"] == video_id]
        self._send("captions.list", 200, {"kind": "youtube#captionListResponse", "items": items})

    def _captions_delete(self, body: bytes) -> None:
        if self.emulator.captions.pop(self.query.get("id", ""), None) is None:
            return self._error("captions.delete", 404, "captionNotFound", "caption track not found")
        self._send("captions.delete", 204)

    def _caption(self, caption_id: str) -> dict[str, Any]:
        track = self.emulator.captions[caption_id]
        return {"kind": "youtube#caption", "id": caption_id, "snippet": track["snippet"]}

    def _playlists_list(self, body: bytes) -> None:
        self._send("playlists.list", 200, {"items": list(self.emulator.playlists.values())})

    def _playlists_insert(self, body: bytes) -> None:
        resource = json.loads(body)
        playlist_id = "PL" + secrets.token_hex(8)
        self.emulator.playlists[playlist_id] = {"id": playlist_id, **resource}
        self._send("playlists.insert", 200, self.emulator.playlists[playlist_id], body_bytes=len(body))

    def _playlistItems_list(self, body: bytes) -> None:
        items = [item for item in self.emulator.playlist_items.values()
                 if item["snippet"]["playlistId"] == self.query.get("playlistId")
                 and item["snippet"]["resourceId"]["videoId"] == self.query.get("videoId")]
        self._send("playlistItems.list", 200, {"items": items})

    def _playlistItems_insert(self, body: bytes) -> None:
        resource = json.loads(body)
        item_id = "item-" + secrets.token_hex(6)
        self.emulator.playlist_items[item_id] = {"id": item_id, **resource}
        self._send("playlistItems.insert", 200, self.emulator.playlist_items[item_id], body_bytes=len(body))
