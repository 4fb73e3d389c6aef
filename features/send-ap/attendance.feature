@v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
Feature: Part-time timetables
  Statutory guidance (Working together to improve school attendance, 2024) says a part-time
  timetable should be agreed with the parent, should have an end date (it must never be
  open-ended) and should be reviewed formally with the pupil and parents (this standard uses an
  illustrative 6 weeks from the start). The school holds all three "should" duties, added in
  version 1.1.0.

  A timetable starting on Monday 6 January 2025 should be reviewed by 17 February 2025.

  Background:
    Given a child born on 14 March 2012

  Rule: attendance.part_time_agreed, attendance.part_time_time_limited and attendance.part_time_review

    Scenario: An agreed, time-limited timetable, reviewed in time
      Given a part-time timetable for reintegration started on Monday 6 January 2025, agreed with the parent, ending on 14 February 2025
      And the timetable reviewed with the pupil and parents on 3 February 2025
      When the duties are decided on 1 March 2025
      Then the duty "attendance.part_time_agreed" for the timetable is met, with no due date
      And the school holds the duty
      And the duty is a "should"
      And the duty cites "Working together to improve school attendance (DfE statutory guidance, 2024)"
      And the duty "attendance.part_time_time_limited" for the timetable is met
      And the school holds the duty
      And the duty "attendance.part_time_review" for the part-time timetable is met, due on 17 February 2025
      And the duty was satisfied by the timetable review
      And the school holds the duty

    Scenario: A timetable the parent did not agree to
      Given a part-time timetable for medical reasons started on 6 January 2025, not agreed with the parent, ending on 14 February 2025
      When the duties are decided on 1 February 2025
      Then the duty "attendance.part_time_agreed" for the timetable is breached
      And the duty "attendance.part_time_time_limited" for the timetable is met

    Scenario: An open-ended timetable
      Given a part-time timetable for another reason started on 6 January 2025, agreed with the parent
      When the duties are decided on 1 February 2025
      Then the duty "attendance.part_time_time_limited" for the timetable is breached, with no due date
      And the school holds the duty
      And the duty "attendance.part_time_agreed" for the timetable is met

    Scenario Outline: The review on the days around the due date
      Given a part-time timetable for reintegration started on 6 January 2025, agreed with the parent, ending on 28 March 2025
      And the timetable reviewed with the pupil and parents on <reviewed>
      When the duties are decided on 1 April 2025
      Then the duty "attendance.part_time_review" for the timetable is <status>, due on 17 February 2025

      Examples:
        | reviewed         | status |
        | 16 February 2025 | met    |
        | 17 February 2025 | met    |
        | 18 February 2025 | late   |

    Scenario: No review is pending on the due date and overdue the next day
      Given a part-time timetable for reintegration started on 6 January 2025, agreed with the parent, ending on 28 March 2025
      When the duties are decided on 17 February 2025
      Then the duty "attendance.part_time_review" for the timetable is pending, due on 17 February 2025
      When the duties are decided on 18 February 2025
      Then the duty "attendance.part_time_review" for the timetable is overdue, due on 17 February 2025
      And nothing has satisfied the duty
