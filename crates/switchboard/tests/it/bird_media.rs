//! Bird dialect: presigned avatar and audio uploads to Switchboard's own upload target, and
//! media download by redirect or as a location.

use std::sync::Arc;

use serde_json::Value;
use switchboard_domain::ids::Id;
use switchboard_domain::OffsetClock;

use crate::kit::{on_postgres, Server, TestUser};

/// Posts `form` (as the presign answer gave it) with `bytes` as the file.
async fn post_form(form: &Value, bytes: &[u8], tamper: Option<(&str, &str)>) -> (u16, String) {
    let mut mp = reqwest::multipart::Form::new();
    for (k, v) in form["formData"].as_object().unwrap() {
        let mut v = v.as_str().unwrap().to_owned();
        if let Some((field, value)) = tamper {
            if field == k {
                v = value.to_owned();
            }
        }
        mp = mp.text(k.clone(), v);
    }
    mp = mp.text("Content-Type", "image/png");
    mp = mp.part(
        "file",
        reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("a.png"),
    );
    let r = reqwest::Client::new()
        .post(form["url"].as_str().unwrap())
        .multipart(mp)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn presign(s: &Server, u: &TestUser, agent: &str) -> Value {
    let r = s
        .bird(u, "GET", &format!("/agents/{agent}/presigned-upload"))
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

#[tokio::test]
async fn bird_presigned_upload_accepts_the_file_and_download_finds_it() {
    let clock = Arc::new(OffsetClock::default());
    let s = Server::start_with_clock(clock.clone()).await;
    let ann = s.user().await;
    let me = ann.user.id.to_uuid();
    let form = presign(&s, &ann, &me).await;
    crate::bird_golden::conforms(
        &crate::bird_golden::examples()["presignedUpload"],
        &form,
        "presign",
    );
    for key in [
        "policy",
        "x-amz-algorithm",
        "x-amz-credential",
        "x-amz-date",
        "x-amz-signature",
    ] {
        assert!(form["formData"][key].is_string(), "{key}");
    }
    let file_id = form["fileId"].as_str().unwrap().to_owned();

    // Not uploaded yet: nothing to download.
    let dl = format!("/agents/{me}/media/{file_id}/download");
    assert_eq!(s.bird(&ann, "GET", &dl).send().await.status, 404);

    // A tampered signature or policy is refused, and stores nothing.
    let (status, _) = post_form(&form, b"x", Some(("x-amz-signature", "00ff"))).await;
    assert_eq!(status, 403);
    let (status, _) = post_form(
        &form,
        b"x",
        Some(("key", "00000000-0000-8000-8000-000000000001")),
    )
    .await;
    assert_eq!(status, 403);

    let png = b"PNG fake image bytes".to_vec();
    let (status, text) = post_form(&form, &png, None).await;
    assert_eq!(status, 204, "{text}");

    let r = s.bird(&ann, "GET", &dl).send().await;
    assert_eq!(r.status, 200, "{}", r.text);
    let url = r.body["url"].as_str().unwrap().to_owned();
    assert!(r.body["expiresAt"].is_string());
    let got = reqwest::get(&url).await.unwrap();
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-type"], "image/png");
    assert_eq!(got.bytes().await.unwrap().to_vec(), png);

    let r = s
        .bird(&ann, "GET", &format!("{dl}?redirect=true"))
        .send()
        .await;
    // reqwest follows redirects: it lands on the file itself.
    assert_eq!(r.status, 200);
    assert_eq!(r.text.as_bytes(), &png[..]);
    let no_follow = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_follow
        .get(format!(
            "{}/workspaces/{}{dl}?redirect=true",
            s.base,
            ann.user.company_id.to_uuid()
        ))
        .header("authorization", format!("Bearer {}", ann.key))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert!(r.headers()["location"].to_str().unwrap().contains(&file_id));
    let r = s
        .bird(&ann, "GET", &format!("{dl}?redirect=maybe"))
        .send()
        .await;
    assert_eq!(r.status, 400);
    assert!(r.body["code"].is_string());

    // Where the bytes live: the database on PostgreSQL, the data directory on SQLite.
    let in_db = s
        .raw_texts("SELECT kind FROM media_files WHERE data IS NOT NULL")
        .await;
    if on_postgres() {
        assert_eq!(in_db, ["avatar"]);
    } else {
        assert!(in_db.is_empty());
        let id = switchboard_domain::ids::MediaId::from_uuid(&file_id).unwrap();
        assert_eq!(
            std::fs::read(s.data_dir().join("media").join(id.0.to_string())).unwrap(),
            png
        );
    }

    // A tampered link is refused; links and forms expire.
    let bad = url.replace("signature=", "signature=00");
    assert_eq!(reqwest::get(&bad).await.unwrap().status(), 403);
    let late = presign(&s, &ann, &me).await;
    clock.advance(16 * 60);
    assert_eq!(reqwest::get(&url).await.unwrap().status(), 403);
    let (status, text) = post_form(&late, b"late", None).await;
    assert_eq!(status, 403, "{text}");
    assert!(text.contains("expired"), "{text}");
}

#[tokio::test]
async fn bird_audio_upload_and_foreign_media_are_not_found() {
    let s = Server::start().await;
    let ann = s.user().await;
    let bob = s.user().await;
    let me = ann.user.id.to_uuid();
    let r = s
        .bird(
            &ann,
            "POST",
            &format!("/agents/{me}/presigned-upload/audio"),
        )
        .send()
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let (status, text) = post_form(&r.body, b"RIFF audio", None).await;
    assert_eq!(status, 204, "{text}");
    let file_id = r.body["fileId"].as_str().unwrap();
    // Another workspace sees neither the agent's forms nor its files.
    let dl = format!("/agents/{me}/media/{file_id}/download");
    assert_eq!(s.bird(&bob, "GET", &dl).send().await.status, 404);
    let bob_id = bob.user.id.to_uuid();
    let r = s
        .bird(
            &bob,
            "GET",
            &format!("/agents/{bob_id}/media/{file_id}/download"),
        )
        .send()
        .await;
    assert_eq!(r.status, 404);
    assert_eq!(
        s.bird(&bob, "GET", &format!("/agents/{me}/presigned-upload"))
            .send()
            .await
            .status,
        404
    );
    // A form posted to another workspace's upload target is refused.
    let mut other = r.body.clone();
    let form = s
        .bird(&ann, "GET", &format!("/agents/{me}/presigned-upload"))
        .send()
        .await
        .body;
    other["formData"] = form["formData"].clone();
    other["url"] = Value::from(format!(
        "{}/workspaces/{}/media/uploads",
        s.base,
        bob.user.company_id.to_uuid()
    ));
    let (status, _) = post_form(&other, b"x", None).await;
    assert_eq!(status, 403);
    // A form without a file is a bad request.
    let r = reqwest::Client::new()
        .post(form["url"].as_str().unwrap())
        .multipart(reqwest::multipart::Form::new().text("key", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
}

/// Files are served with a safe type: allow-listed images and audio as themselves, anything
/// else as a download of `application/octet-stream`; never sniffed.
#[tokio::test]
async fn bird_media_is_served_with_a_safe_content_type_and_nosniff() {
    let s = Server::start().await;
    let ann = s.user().await;
    let me = ann.user.id.to_uuid();
    let cases = [
        ("text/html", "application/octet-stream", true),
        ("image/svg+xml", "application/octet-stream", true),
        ("application/javascript", "application/octet-stream", true),
        ("IMAGE/PNG; name=a", "image/png", false),
        ("image/jpeg", "image/jpeg", false),
        ("audio/ogg", "audio/ogg", false),
    ];
    for (claimed, served, attachment) in cases {
        let form = presign(&s, &ann, &me).await;
        let mut mp = reqwest::multipart::Form::new();
        for (k, v) in form["formData"].as_object().unwrap() {
            mp = mp.text(k.clone(), v.as_str().unwrap().to_owned());
        }
        mp = mp.text("Content-Type", claimed);
        mp = mp.part(
            "file",
            reqwest::multipart::Part::bytes(b"<script>alert(1)</script>".to_vec())
                .file_name("a.html"),
        );
        let up = reqwest::Client::new()
            .post(form["url"].as_str().unwrap())
            .multipart(mp)
            .send()
            .await
            .unwrap();
        assert_eq!(up.status(), 204, "{claimed}");
        let file_id = form["fileId"].as_str().unwrap();
        let link = s
            .bird(
                &ann,
                "GET",
                &format!("/agents/{me}/media/{file_id}/download"),
            )
            .send()
            .await;
        assert_eq!(link.status, 200, "{}", link.text);
        let got = reqwest::get(link.body["url"].as_str().unwrap())
            .await
            .unwrap();
        assert_eq!(got.status(), 200);
        let h = got.headers();
        assert_eq!(h["content-type"], served, "{claimed}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{claimed}");
        assert_eq!(
            h.get("content-disposition").map(|v| v.to_str().unwrap()),
            attachment.then_some("attachment"),
            "{claimed}"
        );
    }
}
