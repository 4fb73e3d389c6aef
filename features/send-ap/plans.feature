Feature: Issuing EHC plans: the draft, the final plan, amendments and plans after a re-assessment
  The family has at least 15 days, beginning with the day the draft plan is served, to comment
  before the final plan is issued (SEND Regulations 2014 reg 13(1)); the final plan must be
  issued within 20 weeks of the request (reg 13(2)), unless the local authority decided not to
  assess or not to issue a plan; an exception to the time limit (reg 13(3)) excuses a missed
  deadline. Amendments after a review give the family at least 15 days to comment, and the
  amended plan follows within 8 weeks (reg 22). After a re-assessment, the amended or new plan
  is due within 14 weeks of the decision to re-assess (reg 27).

  Dates used below:
    a request received on Monday 6 January 2025: final plan due 26 May 2025 (+ 20 weeks);
    a draft plan on Monday 14 April 2025: the final plan may not come before 29 April 2025;
    amendments proposed on Monday 2 June 2025: the amended plan not before 17 June 2025 and
    due on 28 July 2025 (+ 8 weeks);
    a decision to re-assess on Monday 3 March 2025: the plan due on 9 June 2025 (+ 14 weeks).

  Background:
    Given a child born on 14 March 2015

  @v1.0.0 @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: ehc.draft_comment_period - at least 15 days to comment on the draft before the final plan

    Scenario: The final plan comes after the comment period
      Given the draft EHC plan issued on Monday 14 April 2025
      And the final EHC plan issued on 29 April 2025
      When the duties are decided on 1 June 2025
      Then the duty "ehc.draft_comment_period" for the draft plan is met, with no due date
      And the duty was satisfied by the final plan
      And the local authority holds the duty
      And the duty cites "SEND Regulations 2014 reg 13(1)"

    Scenario Outline: The final plan on the days around the end of the comment period
      Given the draft EHC plan issued on 14 April 2025
      And the final EHC plan issued on <final>
      When the duties are decided on 1 June 2025
      Then the duty "ehc.draft_comment_period" for the draft plan is <status>

      Examples:
        | final         | status   |
        | 28 April 2025 | breached |
        | 29 April 2025 | met      |
        | 30 April 2025 | met      |

    Scenario: A final plan on the day of the draft cuts the comment period short
      Given the draft EHC plan issued on 14 April 2025
      And the final EHC plan issued on 14 April 2025
      When the duties are decided on 1 June 2025
      Then the duty "ehc.draft_comment_period" for the draft plan is breached
      And the explanation says "came before 2025-04-29"

    Scenario: While no final plan has been issued, the comment period is pending
      Given the draft EHC plan issued on 14 April 2025
      When the duties are decided on 1 June 2025
      Then the duty "ehc.draft_comment_period" for the draft plan is pending, with no due date

    Scenario: A final plan issued before the draft does not follow it
      Given the final EHC plan issued on 10 April 2025
      And the draft EHC plan issued on 14 April 2025
      When the duties are decided on 1 June 2025
      Then the duty "ehc.draft_comment_period" for the draft plan is pending

  @v1.0.0 @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: ehc.final_plan - issue the final plan within 20 weeks of the request

    Scenario: A whole assessment, with the final plan in time
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 14 February 2025 to carry out the assessment
      And medical advice requested on 17 February 2025
      And the medical advice received on 21 March 2025
      And the local authority decided on 11 April 2025 to issue an EHC plan
      And the draft EHC plan issued on 14 April 2025
      And the final EHC plan issued on 23 May 2025
      When the duties are decided on 1 June 2025
      Then the duty "ehc.final_plan" for the request is met, due on 26 May 2025
      And the local authority holds the duty
      And the duty was satisfied by the final plan
      And the duty cites "SEND Regulations 2014 reg 13(2)"
      And the duty cites "SEND Regulations 2014 reg 13(3)"
      And the duty "ehc.assessment_decision" for the request is met, due on 17 February 2025
      And the duty "ehc.advice_response" for the medical advice request is met, due on 31 March 2025
      And the duty "ehc.draft_comment_period" for the draft plan is met
      And no duty "ehc.no_plan_notice" applies

    Scenario Outline: The final plan on the days around the due date
      Given a request for an EHC needs assessment received on 6 January 2025
      And the final EHC plan issued on <issued>
      When the duties are decided on 1 June 2025
      Then the duty "ehc.final_plan" for the request is <status>, due on 26 May 2025

      Examples:
        | issued      | status |
        | 25 May 2025 | met    |
        | 26 May 2025 | met    |
        | 27 May 2025 | late   |

    Scenario: No final plan on the due date is pending; the next day it is overdue
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 14 February 2025 to carry out the assessment
      When the duties are decided on 26 May 2025
      Then the duty "ehc.final_plan" for the request is pending, due on 26 May 2025
      When the duties are decided on 27 May 2025
      Then the duty "ehc.final_plan" for the request is overdue, due on 26 May 2025
      And nothing has satisfied the duty

    Scenario: A decision not to assess means no plan is due
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 14 February 2025 not to carry out the assessment
      When the duties are decided on 1 June 2025
      Then no duty "ehc.final_plan" applies

    Scenario: A decision not to issue a plan means no plan is due
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 14 February 2025 to carry out the assessment
      And the local authority decided on 25 April 2025 not to issue an EHC plan
      When the duties are decided on 1 June 2025
      Then no duty "ehc.final_plan" applies
      And the duty "ehc.no_plan_notice" for the request is met, due on 28 April 2025

    Scenario: A later decision not to assess counts even after an earlier decision to assess
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 14 February 2025 to carry out the assessment
      And the local authority decided on 3 March 2025 not to carry out the assessment
      When the duties are decided on 1 June 2025
      Then no duty "ehc.final_plan" applies for the request

    Scenario: A decision to issue a plan keeps the duty
      Given a request for an EHC needs assessment received on 6 January 2025
      And the local authority decided on 11 April 2025 to issue an EHC plan
      When the duties are decided on 1 June 2025
      Then the duty "ehc.final_plan" for the request is overdue, due on 26 May 2025

    Scenario: An exception excuses a late final plan
      Given a request for an EHC needs assessment received on 6 January 2025
      And an exception to the time limit applied on 1 May 2025 because of exceptional personal circumstances
      And the final EHC plan issued on 9 June 2025
      When the duties are decided on 1 July 2025
      Then the duty "ehc.final_plan" for the request is exempt, due on 26 May 2025
      And the duty was excused by the exception
      And the duty was satisfied by the final plan

    Scenario: An exception on the due date excuses an overdue final plan
      Given a request for an EHC needs assessment received on 6 January 2025
      And an exception to the time limit applied on 26 May 2025 because of an institution closure
      When the duties are decided on 1 July 2025
      Then the duty "ehc.final_plan" for the request is exempt, due on 26 May 2025
      And nothing has satisfied the duty

    Scenario: An exception the day after the due date does not excuse a late final plan
      Given a request for an EHC needs assessment received on 6 January 2025
      And an exception to the time limit applied on 27 May 2025 because of an institution closure
      And the final EHC plan issued on 9 June 2025
      When the duties are decided on 1 July 2025
      Then the duty "ehc.final_plan" for the request is late, due on 26 May 2025
      And no exception applies

  @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: ehc.amendment_comment_period - at least 15 days to comment on proposed amendments

    Scenario: The amended plan comes after the comment period
      Given amendments to the plan proposed on Monday 2 June 2025
      And the amended EHC plan issued on 7 July 2025
      When the duties are decided on 1 August 2025
      Then the duty "ehc.amendment_comment_period" for the proposed amendments is met
      And the duty was satisfied by the amended plan
      And the local authority holds the duty
      And the duty cites "SEND Regulations 2014 reg 22"

    Scenario Outline: The amended plan on the days around the end of the comment period
      Given amendments to the plan proposed on 2 June 2025
      And the amended EHC plan issued on <issued>
      When the duties are decided on 1 August 2025
      Then the duty "ehc.amendment_comment_period" for the proposed amendments is <status>, with no due date

      Examples:
        | issued       | status   |
        | 16 June 2025 | breached |
        | 17 June 2025 | met      |

    Scenario: While no amended plan has been issued, the comment period is pending
      Given amendments to the plan proposed on 2 June 2025
      When the duties are decided on 10 June 2025
      Then the duty "ehc.amendment_comment_period" for the proposed amendments is pending

  @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: ehc.amended_plan - issue the amended plan within 8 weeks of the proposed amendments

    Scenario: The amended plan is issued in time
      Given amendments to the plan proposed on 2 June 2025
      And the amended EHC plan issued on 7 July 2025
      When the duties are decided on 1 August 2025
      Then the duty "ehc.amended_plan" for the proposed amendments is met, due on 28 July 2025
      And the duty was satisfied by the amended plan
      And the local authority holds the duty
      And the duty cites "SEND Regulations 2014 reg 22(3)"

    Scenario Outline: The amended plan on the days around the due date
      Given amendments to the plan proposed on 2 June 2025
      And the amended EHC plan issued on <issued>
      When the duties are decided on 1 August 2025
      Then the duty "ehc.amended_plan" for the proposed amendments is <status>, due on 28 July 2025

      Examples:
        | issued       | status |
        | 27 July 2025 | met    |
        | 28 July 2025 | met    |
        | 29 July 2025 | late   |

    Scenario: No amended plan is pending on the due date and overdue the next day
      Given amendments to the plan proposed on 2 June 2025
      When the duties are decided on 28 July 2025
      Then the duty "ehc.amended_plan" for the proposed amendments is pending, due on 28 July 2025
      When the duties are decided on 29 July 2025
      Then the duty "ehc.amended_plan" for the proposed amendments is overdue, due on 28 July 2025

  @v1.1.0 @v1.2.0 @v1.3.0 @v1.4.0 @v1.5.0 @v2.0.0-draft
  Rule: ehc.reassessment_plan - the plan within 14 weeks of a decision to re-assess

    Scenario: An amended plan follows the re-assessment in time
      Given the local authority decided on Monday 3 March 2025 to re-assess the child's needs
      And the amended EHC plan issued on 2 June 2025
      When the duties are decided on 1 July 2025
      Then the duty "ehc.reassessment_plan" for the re-assessment decision is met, due on 9 June 2025
      And the duty was satisfied by the amended plan
      And the local authority holds the duty
      And the duty cites "SEND Regulations 2014 reg 27(2)"
      And the duty cites "SEND Regulations 2014 reg 27(3)"

    Scenario: A new final plan also answers the re-assessment
      Given the local authority decided on 3 March 2025 to re-assess the child's needs
      And the final EHC plan issued on 9 June 2025
      When the duties are decided on 1 July 2025
      Then the duty "ehc.reassessment_plan" for the re-assessment decision is met, due on 9 June 2025
      And the duty was satisfied by the final plan

    Scenario Outline: The plan on the days around the due date
      Given the local authority decided on 3 March 2025 to re-assess the child's needs
      And the amended EHC plan issued on <issued>
      When the duties are decided on 1 July 2025
      Then the duty "ehc.reassessment_plan" for the re-assessment decision is <status>, due on 9 June 2025

      Examples:
        | issued        | status |
        | 8 June 2025   | met    |
        | 9 June 2025   | met    |
        | 10 June 2025  | late   |

    Scenario: No plan is pending on the due date and overdue the next day
      Given the local authority decided on 3 March 2025 to re-assess the child's needs
      When the duties are decided on 9 June 2025
      Then the duty "ehc.reassessment_plan" for the re-assessment decision is pending, due on 9 June 2025
      When the duties are decided on 10 June 2025
      Then the duty "ehc.reassessment_plan" for the re-assessment decision is overdue, due on 9 June 2025

    Scenario: A decision not to re-assess brings no duty
      Given the local authority decided on 3 March 2025 not to re-assess the child's needs
      When the duties are decided on 1 July 2025
      Then no duty "ehc.reassessment_plan" applies

    Scenario: An exception excuses a late plan after a re-assessment
      Given the local authority decided on 3 March 2025 to re-assess the child's needs
      And an exception to the time limit applied on 20 May 2025 because of absence from the area
      And the amended EHC plan issued on 20 June 2025
      When the duties are decided on 1 July 2025
      Then the duty "ehc.reassessment_plan" for the re-assessment decision is exempt, due on 9 June 2025
      And the duty was excused by the exception

    Scenario: An exception the day after the due date does not excuse it
      Given the local authority decided on 3 March 2025 to re-assess the child's needs
      And an exception to the time limit applied on 10 June 2025 because of absence from the area
      And the amended EHC plan issued on 20 June 2025
      When the duties are decided on 1 July 2025
      Then the duty "ehc.reassessment_plan" for the re-assessment decision is late, due on 9 June 2025
      And no exception applies
