"""riskvid studio: a local page showing a video's timeline that follows edits as they are saved.

    serve    the command: a token, a loopback socket, uvicorn, and a clean stop
    server   the Starlette app: the token and host rules, the page, the API, the video's own files
    runner   the build, run again (in its own process, ``job``) whenever the watcher sees a change
    job      that process: the timeline first (so the page knows every beat), then ``riskvid render``
    state    what the page shows: the timeline, each beat's status, the last error
    watch    watchfiles on the config, ``scenes/`` and ``riskmath/``
    waveform the sound's peaks, read from the full video
    page/    the page itself: plain HTML, CSS and JavaScript
"""
