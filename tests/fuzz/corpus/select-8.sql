with
    clicks as (select user_id, ts from ad_clicks where ts >= today()),
    views as (select user_id, ts from page_views where ts >= today())
select 'click' as kind, count() from clicks
union all
select 'view' as kind, count() from views
