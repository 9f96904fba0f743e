// Operator intake (/kantor/aduan/baru/): the fields about a social-media post are shown only
// when the channel is "social_media". Without JavaScript they are always shown (and ignored
// by the server for other channels), so the form works without this file.
(function () {
  "use strict";
  var channel = document.getElementById("id_channel");
  var post = document.getElementById("social-post");
  if (!channel || !post) {
    return;
  }
  function sync() {
    post.hidden = channel.value !== "social_media";
  }
  channel.addEventListener("change", sync);
  sync();
})();
