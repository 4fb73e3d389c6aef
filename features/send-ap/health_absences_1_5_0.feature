@v1.5.0
Feature: Absences because of health needs that add up to 15 school days (version 1.5.0)
  The local authority should arrange suitable education as soon as it is clear that a child will
  be away from school because of health needs for 15 school days, consecutively or cumulatively
  (Education Act 1996 s19(1); the statutory guidance of December 2023, its 15 school days and
  "cumulatively" read in secondary sources). From 1.5.0 the school days of every absence in the
  school year (1 September to 31 August) are added up, and each spell of absence without a break
  is counted on its own, straight on across 31 August: the day the child is back is not a day of
  absence, and education is due on the school day the absences reach 15. School days here are
  weekdays that are not bank holidays.

  Background:
    Given a child born on 20 May 2014

  Rule: health.education_provision - absences that add up to 15 school days

    Scenario: Three absences of five school days bring the duty on the fifteenth school day of absence
      # 8-12 September (1-5), 6-10 October (6-10), 10-14 November 2025 (11-15)
      Given the child absent from school because of health needs from Monday 8 September 2025
      And the child back at school on Monday 15 September 2025
      And the child absent from school because of health needs from Monday 6 October 2025
      And the child back at school on Monday 13 October 2025
      And the child absent from school because of health needs from Monday 10 November 2025
      And the child back at school on Monday 17 November 2025
      When the duties are decided on 1 December 2025
      Then the duty "health.education_provision" for the third health absence is overdue, due on 14 November 2025
      And the local authority holds the duty
      And the duty cites "Arranging education for children who cannot attend school because of health needs"

    Scenario: Education arranged on the fifteenth school day of absence is met
      Given the child absent from school because of health needs from 8 September 2025
      And the child back at school on 15 September 2025
      And the child absent from school because of health needs from 6 October 2025
      And the child back at school on 13 October 2025
      And the child absent from school because of health needs from 10 November 2025
      And education arranged by the local authority started on Friday 14 November 2025
      When the duties are decided on 1 December 2025
      Then the duty "health.education_provision" for the third health absence is met, due on 14 November 2025
      And the duty was satisfied by the education arranged

    Scenario: Fourteen school days of absence in the school year bring no duty
      # the child is back on Friday 14 November: 10-13 November are days 11-14
      Given the child absent from school because of health needs from 8 September 2025
      And the child back at school on 15 September 2025
      And the child absent from school because of health needs from 6 October 2025
      And the child back at school on 13 October 2025
      And the child absent from school because of health needs from 10 November 2025
      And the child back at school on Friday 14 November 2025
      When the duties are decided on 1 December 2025
      Then no duty "health.education_provision" applies

    Scenario: Absences in two school years are not added up across 31 August
      # 7-11 July 2025 (5, in 2024/25) and 8-19 September 2025 (10, in 2025/26)
      Given the child absent from school because of health needs from 7 July 2025
      And the child back at school on 14 July 2025
      And the child absent from school because of health needs from 8 September 2025
      And the child back at school on 22 September 2025
      When the duties are decided on 1 December 2025
      Then no duty "health.education_provision" applies

    Scenario: A half-term closure is not a day of absence
      # 20-24 October (1-5), closed 27-31 October, 3-7 November (6-10), 10-14 November (11-15)
      Given school closed from 27 October 2025 to 31 October 2025
      And the child absent from school because of health needs from Monday 20 October 2025
      When the duties are decided on 14 November 2025
      Then the duty "health.education_provision" for the health absence is pending, due on 14 November 2025

    Scenario: A return ends only the absence it is recorded for
      # 1-5 September (1-5); the second absence from Friday 5 September shares that day (counted
      # once) and runs to Thursday 11 September (6-9); 15-19 September (10-14), Monday 22 (15)
      Given the child absent from school because of health needs from Monday 1 September 2025
      And the child absent from school because of health needs from Friday 5 September 2025
      And the child back at school on Monday 8 September 2025 in response to the first health absence
      And the child back at school on Friday 12 September 2025 in response to the second health absence
      And the child absent from school because of health needs from Monday 15 September 2025
      When the duties are decided on 1 December 2025
      Then the duty "health.education_provision" for the third health absence is overdue, due on 22 September 2025

    Scenario: One unbroken absence across 31 August is counted straight on
      # Monday 31 August 2026 is a bank holiday: 24-28 August (1-5), 1-4 September (6-9),
      # 7-11 September (10-14), Monday 14 September (15); not counted again from 1 September
      Given the child absent from school because of health needs from Monday 24 August 2026
      When the duties are decided on 1 October 2026
      Then the duty "health.education_provision" for the health absence is overdue, due on 14 September 2026

    Scenario: A second long absence in the school year brings the duty again
      # the first absence's 15th school day is Friday 19 September 2025; the second, from Monday
      # 5 January 2026: 5-9, 12-16, 19-23 January
      Given the child absent from school because of health needs from Monday 1 September 2025
      And education arranged by the local authority started on Friday 19 September 2025
      And the child back at school on Monday 29 September 2025
      And the child absent from school because of health needs from Monday 5 January 2026
      When the duties are decided on 1 March 2026
      Then the duty "health.education_provision" for the first health absence is met, due on 19 September 2025
      And the duty "health.education_provision" for the second health absence is overdue, due on 23 January 2026
