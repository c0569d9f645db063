-- service-view-service: corrected milestones stay in the timeline, marked: voided ones no longer count.
alter table case_milestone
    add column voided     boolean not null default false,
    add column correction varchar(700);
