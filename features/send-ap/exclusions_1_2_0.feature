@v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
Feature: No sixth-day duty once a Year 11 pupil has completed their examinations (version 1.2.0)
  The duty to provide suitable full-time education from the sixth school day of an exclusion
  (SI 2007/1870 regs 3 and 4) does not apply to a pupil in Year 11 who has completed the public
  examinations they were entered for (reg 5, read in the regulations' explanatory note). That the
  pupil is in Year 11 and has completed their examinations is recorded on the exclusion: the
  engine cannot check it.

  In 2025, Monday 26 May is a bank holiday, so for an exclusion starting on Monday 19 May the
  sixth school day is 27 May.

  Rule: exclusion.sixth_day_provision - the reg 5 exception

    Background:
      Given a child born on 3 March 2009

    Scenario: A Year 11 pupil suspended after their last examination
      Given a suspension of 8 school days starting on Monday 19 May 2025, when the pupil had completed their public examinations
      When the duties are decided on 20 June 2025
      Then no duty "exclusion.sixth_day_provision" applies

    Scenario: A Year 11 pupil permanently excluded after their last examination
      Given a permanent exclusion starting on 19 May 2025, when the pupil had completed their public examinations
      When the duties are decided on 20 June 2025
      Then no duty "exclusion.sixth_day_provision" applies

    Scenario: A pupil whose examinations are still to come keeps the duty
      Given a suspension of 8 school days starting on Monday 19 May 2025, when the pupil had not completed their public examinations
      And full-time education started on 27 May 2025 arranged by the school
      When the duties are decided on 20 June 2025
      Then the duty "exclusion.sixth_day_provision" for the suspension is met, due on 27 May 2025
      And the school holds the duty
      And the duty cites "SI 2007/1870 reg 5"
