@v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
Feature: SEN support reviewed once a term (version 1.2.0)
  A school giving SEN support should review it with the parents at least three times a year
  (SEND Code of Practice 2015 paras 6.44-6.56, 6.65). Version 1.2.0 reads this as once a term:
  within 63 school days (a third of a 190-day school year) of the start of SEN support or of the
  last review, unless SEN support ends first. School holidays are not school days when the
  school's closures are given, so a review after the summer is not late because of the summer.

  SEN support starting on Monday 2 September 2024 should be reviewed by 28 November 2024 when
  every weekday is a school day (63 school days later), and by 5 December 2024 when the school
  is closed for the week of 28 October 2024.

  Background:
    Given a child born on 14 March 2016

  Rule: sen_support.review_cycle - review SEN support with the parents once a term

    Scenario: SEN support is reviewed in time, and the review starts the next term's count
      Given SEN support started on Monday 2 September 2024
      And SEN support reviewed with the parents on 28 November 2024
      When the duties are decided on 1 December 2024
      Then the duty "sen_support.review_cycle" for the start of SEN support is met, due on 28 November 2024
      And the duty was satisfied by the SEN support review
      And the school holds the duty
      And the duty is a "should"
      And the duty cites "SEND Code of Practice 2015 para 6.65"

    Scenario Outline: Half-term does not count
      Given school closed from 28 October 2024 to 1 November 2024
      And SEN support started on 2 September 2024
      And SEN support reviewed with the parents on <reviewed>
      When the duties are decided on 1 March 2025
      Then the duty "sen_support.review_cycle" for the start of SEN support is <status>, due on 5 December 2024

      Examples:
        | reviewed        | status |
        | 5 December 2024 | met    |
        | 6 December 2024 | late   |

    Scenario: SEN support that ends before the review is due needs no review
      Given SEN support started on 2 September 2024
      And SEN support ended on 1 November 2024
      When the duties are decided on 1 March 2025
      Then no duty "sen_support.review_cycle" applies

    Scenario: No review is overdue the school day after the due date
      Given SEN support started on 2 September 2024
      When the duties are decided on 29 November 2024
      Then the duty "sen_support.review_cycle" for the start of SEN support is overdue, due on 28 November 2024
