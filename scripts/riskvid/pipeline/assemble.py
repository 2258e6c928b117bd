"""Segment clips → the full video, by remuxing packets (no re-encode); probing clips with PyAV."""

from fractions import Fraction

import av

from riskvid.files import atomic_path


def concat(clips, target):
    """Join ``clips`` (same codec, size and frame rate) into ``target`` with the index at the front."""
    with atomic_path(target) as tmp:
        with av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            out_stream, offset = None, 0
            for clip in clips:
                with av.open(str(clip)) as source:
                    stream = source.streams.video[0]
                    if out_stream is None:
                        out_stream = out.add_stream_from_template(stream)
                        time_base = stream.time_base
                    elif stream.time_base != time_base:
                        raise ValueError(f"{clip.name} has time base {stream.time_base}, expected {time_base}")
                    end = offset
                    for packet in source.demux(stream):
                        if packet.dts is None:  # the demuxer's flush packet
                            continue
                        end = max(end, packet.pts + offset + (packet.duration or 0))
                        packet.pts += offset
                        packet.dts += offset
                        packet.stream = out_stream
                        packet.time_base = time_base
                        out.mux(packet)
                    offset = end


def probe(path):
    """Duration (s), frame count, fps and resolution of a clip's video stream."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = stream.frames or sum(1 for _ in container.demux(stream)) - 1
        fps = Fraction(stream.average_rate or stream.guessed_rate)
        return {
            "duration": round(float(stream.duration * stream.time_base), 3)
            if stream.duration
            else round(frames / fps, 3),
            "frames": frames,
            "fps": float(fps),
            "resolution": [stream.codec_context.width, stream.codec_context.height],
        }
